import PMMongo

/// How one run of a write transaction ended (`DocumentStore.write`).
enum WriteRun<Value: Sendable, Key: Hashable & Sendable>: Sendable {
    /// The transaction is committed.
    case written(Value)
    /// Nothing of this run is written. `clashes`: the documents that hit a unique value only
    /// at write time (a declared unique index, a concurrent insert), which ends MongoDB's
    /// transaction; empty when the run refused before writing (an atomic write's failures
    /// found by looking), and the transaction goes on. An atomic write in a transaction of
    /// its own ends with `value`; otherwise the transaction runs again without `clashes`.
    case refused(Value, clashes: [Key: DocumentFailure])
}

extension DocumentStore {
    /// A write of several documents in one transaction: in `transaction` when given (one run
    /// in it, whose owner commits or aborts it), else in one of its own (committed when
    /// written, aborted when refused). A clash found only at write time ends the transaction
    /// in MongoDB. Unless the write is atomic and its transaction its own (then simply
    /// aborted, `value` the answer), it throws `StoreTransaction.RunAgain`, and
    /// `DocumentStore.transaction` runs the transaction's body again, whose same write leaves
    /// the clashing documents out (atomic: refuses them before writing, the transaction still
    /// open for its owner's next statements); after `maxWriteRuns` runs it fails with
    /// `unwritable`.
    func write<Value: Sendable, Key: Hashable & Sendable>(
        atomic: Bool, transaction: StoreTransaction?, excluding excluded: [Key: DocumentFailure] = [:],
        unwritable: String,
        _ body: @escaping @Sendable (StoreConnection, _ excluded: [Key: DocumentFailure]) throws -> WriteRun<Value, Key>
    ) async throws -> Value {
        if let transaction {
            let write = transaction.nextWrite(Key.self)
            let known = excluded.merging(write.known) { kept, _ in kept }
            return try Self.value(
                of: try await transaction.run { try body($0, known) }, atomic: atomic, ownTransaction: false, write: write)
        }
        return try await self.transaction(unwritable: unwritable) { transaction -> TransactionEnd<Value> in
            let write = transaction.nextWrite(Key.self)
            let known = excluded.merging(write.known) { kept, _ in kept }
            switch try await transaction.runAndCommit({ connection -> TransactionEnd<WriteRun<Value, Key>> in
                let run = try body(connection, known)
                if case .written = run { return .commit(run) }
                return .abort(run)
            }) {
            case .commit(let run): return .commit(try Self.value(of: run, atomic: atomic, ownTransaction: true, write: write))
            case .abort(let run): return .abort(try Self.value(of: run, atomic: atomic, ownTransaction: true, write: write))
            }
        }
    }

    /// What a run wrote or refused; a run refused by write-time clashes whose transaction must
    /// go on (a partial write, or any write in a caller's transaction) remembers them and
    /// throws `RunAgain`.
    private static func value<Value: Sendable, Key: Hashable & Sendable>(
        of run: WriteRun<Value, Key>, atomic: Bool, ownTransaction: Bool, write: TransactionRuns.Write<Key>
    ) throws -> Value {
        switch run {
        case .written(let value): return value
        case .refused(let value, let clashes) where clashes.isEmpty || (atomic && ownTransaction): return value
        case .refused(_, let clashes):
            write.remember(clashes)
            throw StoreTransaction.RunAgain()
        }
    }

    static let maxWriteRuns = 8
}
