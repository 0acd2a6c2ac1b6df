import PMBSON
import PMMongo

/// A transaction begun by `DocumentStore.transaction`, handed explicitly to every store call
/// that must run in it. The code that began it ends it (the body's `TransactionEnd`); the
/// calls it is handed to only run in it.
struct StoreTransaction: Sendable {
    private let open: OpenTransaction
    private let run: TransactionRuns.Attempt

    init(_ open: OpenTransaction, run: TransactionRuns.Attempt) {
        self.open = open
        self.run = run
    }

    /// `body` in the transaction, as one thread-pool job.
    func run<T: Sendable>(_ body: @escaping @Sendable (StoreConnection) throws -> T) async throws -> T {
        try await open.run { connection, session in try body(StoreConnection(connection, session: session)) }
    }

    /// `body` in the transaction and, when it returns `.commit`, the commit, as one
    /// thread-pool job (`OpenTransaction.runAndCommit`). The transaction's body must return
    /// what this returns.
    func runAndCommit<T: Sendable>(
        _ body: @escaping @Sendable (StoreConnection) throws -> TransactionEnd<T>
    ) async throws -> TransactionEnd<T> {
        try await open.runAndCommit { connection, session in try body(StoreConnection(connection, session: session)) }
    }

    /// The next write of this run of the transaction (`DocumentStore.write`): the documents
    /// that clashed in it in earlier runs, to leave out, and where to report new ones.
    func nextWrite<Key: Hashable & Sendable>(_: Key.Type) -> TransactionRuns.Write<Key> {
        run.nextWrite()
    }

    /// The id of the next document this run of the transaction creates: the same in every
    /// run (`TransactionRuns`).
    func newDocumentId() -> ObjectId {
        run.nextNewId()
    }

    /// Thrown by a write that met a unique-value clash only at write time: MongoDB has ended
    /// the transaction, so `DocumentStore.transaction` runs its body again, in a new one,
    /// whose same write leaves the clashing documents out.
    struct RunAgain: Error {}
}
