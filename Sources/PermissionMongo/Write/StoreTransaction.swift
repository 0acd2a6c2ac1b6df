import PMMongo

/// A transaction begun by `DocumentStore.transaction`, handed explicitly to every store call
/// that must run in it. The code that began it ends it (the body's `TransactionEnd`); the
/// calls it is handed to only run in it.
struct StoreTransaction: Sendable {
    private let open: OpenTransaction

    init(_ open: OpenTransaction) {
        self.open = open
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
}
