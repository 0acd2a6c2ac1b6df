/// What a `MongoClientPool` reports as it works, for its owner's metrics (PMMongo keeps
/// none of its own): how long each job waited for a client, and each rerun of a
/// transaction. Called on the task that waited or retried, so the calls must be cheap.
public protocol MongoPoolObserver: Sendable {
    /// A job waited `wait` for one of the pool's clients (zero or nearly when one was free).
    func clientWaited(_ wait: Duration)
    /// `withTransaction` aborted a run of its body after a transient error and runs it again.
    func transactionRetried()
}
