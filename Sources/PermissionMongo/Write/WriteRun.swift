import PMMongo

/// How one run of a write transaction ended (`DocumentStore.write`).
enum WriteRun<Value: Sendable, Key: Hashable & Sendable>: Sendable {
    /// The transaction is committed.
    case written(Value)
    /// The transaction is aborted: nothing of this run is written. An atomic write ends with
    /// `value`; a partial one runs again without the documents in `clashes` (those that hit
    /// a unique value only at write time, e.g. through a concurrent insert).
    case refused(Value, clashes: [Key: DocumentFailure])
}

extension DocumentStore {
    /// A write of several documents in one transaction. In `transaction` when given: one run
    /// in it, whose owner commits or aborts it; a partial write refused there by a clash
    /// found only at write time throws `StoreTransaction.RunAgain`, and the owner's
    /// transaction runs again without the clashing documents (`DocumentStore.transaction`).
    /// Otherwise in a transaction of its own,
    /// committed when written and aborted when refused; a partial write that is refused runs
    /// again without the clashing documents, at most `maxWriteRuns` times, after which it
    /// fails with `unwritable`.
    func write<Value: Sendable, Key: Hashable & Sendable>(
        atomic: Bool, transaction: StoreTransaction?, excluding excluded: [Key: DocumentFailure] = [:],
        unwritable: String,
        _ body: @escaping @Sendable (StoreConnection, _ excluded: [Key: DocumentFailure]) throws -> WriteRun<Value, Key>
    ) async throws -> Value {
        if let transaction {
            let write = transaction.nextWrite(Key.self)
            let known = excluded.merging(write.known) { kept, _ in kept }
            switch try await transaction.run({ connection in try body(connection, known) }) {
            case .written(let value): return value
            case .refused(let value, let clashes) where atomic || clashes.isEmpty: return value
            case .refused(_, let clashes):
                // MongoDB has ended the caller's transaction: it runs again, without these.
                write.remember(clashes)
                throw StoreTransaction.RunAgain()
            }
        }
        var excluded = excluded
        for _ in 0..<Self.maxWriteRuns {
            let known = excluded
            let run = try await self.transaction { transaction -> TransactionEnd<WriteRun<Value, Key>> in
                try await transaction.runAndCommit { connection in
                    let run = try body(connection, known)
                    if case .written = run { return .commit(run) }
                    return .abort(run)
                }
            }
            switch run {
            case .written(let value): return value
            case .refused(let value, _) where atomic: return value
            case .refused(_, let clashes): excluded.merge(clashes) { kept, _ in kept }
            }
        }
        throw DomainError.internal(unwritable)
    }

    static let maxWriteRuns = 8
}
