/// The circuit of one hook endpoint (docs/API.md, "Isolation and the circuit breaker"):
/// closed, it takes deliveries; after `threshold` consecutive failures it opens and takes
/// none for `openFor`; then one probe call decides: a 2xx closes it, a failure opens it
/// again. Any 2xx closes it.
struct CircuitBreaker: Sendable {
    enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        /// The probe call is in flight.
        case probing
    }

    enum Change: Sendable, Equatable {
        case opened, probing, closed
    }

    let threshold: Int
    let openFor: Duration
    private(set) var state = State.closed
    private(set) var consecutiveFailures = 0

    init(threshold: Int, openFor: Duration) {
        self.threshold = threshold
        self.openFor = openFor
    }

    /// Whether a call may start now, `inFlight` calls being under way: closed, below
    /// `limit`; open, only the probe once the open time is over and earlier calls ended.
    func admits(inFlight: Int, limit: Int, now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed: inFlight < limit
        case .open(let until): now >= until && inFlight == 0
        case .probing: false
        }
    }

    /// A call starts (after `admits`): the first one after the open time is the probe.
    mutating func start(now: ContinuousClock.Instant) -> (probe: Bool, change: Change?) {
        guard case .open = state else { return (false, nil) }
        state = .probing
        return (true, .probing)
    }

    /// A call ended: `succeeded` nil when it was never made (the record went elsewhere).
    mutating func end(probe: Bool, succeeded: Bool?, now: ContinuousClock.Instant) -> Change? {
        switch succeeded {
        case nil:
            if probe, state == .probing { state = .open(until: now) }
            return nil
        case true?:
            consecutiveFailures = 0
            if state == .closed { return nil }
            state = .closed
            return .closed
        case false?:
            consecutiveFailures += 1
            if probe || (state == .closed && consecutiveFailures >= threshold) {
                state = .open(until: now + openFor)
                return .opened
            }
            return nil
        }
    }
}
