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
    /// A write of several documents in one transaction: in `transaction` when given (one run
    /// in it, whose owner commits or aborts it), else in one of its own (committed when
    /// written, aborted when refused). A partial write refused by a clash found only at
    /// write time has had its transaction ended by MongoDB: it throws
    /// `StoreTransaction.RunAgain`, and `DocumentStore.transaction` runs the transaction's
    /// body again, whose same write leaves the clashing documents out; after `maxWriteRuns`
    /// runs it fails with `unwritable`.
    func write<Value: Sendable, Key: Hashable & Sendable>(
        atomic: Bool, transaction: StoreTransaction?, excluding excluded: [Key: DocumentFailure] = [:],
        unwritable: String,
        _ body: @escaping @Sendable (StoreConnection, _ excluded: [Key: DocumentFailure]) throws -> WriteRun<Value, Key>
    ) async throws -> Value {
        if let transaction {
            let write = transaction.nextWrite(Key.self)
            let known = excluded.merging(write.known) { kept, _ in kept }
            return try Self.value(of: try await transaction.run { try body($0, known) }, atomic: atomic, write: write)
        }
        return try await self.transaction(unwritable: unwritable) { transaction -> TransactionEnd<Value> in
            let write = transaction.nextWrite(Key.self)
            let known = excluded.merging(write.known) { kept, _ in kept }
            switch try await transaction.runAndCommit({ connection -> TransactionEnd<WriteRun<Value, Key>> in
                let run = try body(connection, known)
                if case .written = run { return .commit(run) }
                return .abort(run)
            }) {
            case .commit(let run): return .commit(try Self.value(of: run, atomic: atomic, write: write))
            case .abort(let run): return .abort(try Self.value(of: run, atomic: atomic, write: write))
            }
        }
    }

    /// What a run wrote or refused; a partial write refused by write-time clashes remembers
    /// them and throws `RunAgain`.
    private static func value<Value: Sendable, Key: Hashable & Sendable>(
        of run: WriteRun<Value, Key>, atomic: Bool, write: WriteClashes.Write<Key>
    ) throws -> Value {
        switch run {
        case .written(let value): return value
        case .refused(let value, let clashes) where atomic || clashes.isEmpty: return value
        case .refused(_, let clashes):
            write.remember(clashes)
            throw StoreTransaction.RunAgain()
        }
    }

    static let maxWriteRuns = 8
}
