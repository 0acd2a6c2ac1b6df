import Logging
import PMBSON
import PMMongo

/// The gateway's view of MongoDB: documents in, documents out, in the PMBSON model.
/// Encoding and decoding happen here; the driver calls run on PMMongo's thread pool.
///
/// Every call that must run in a transaction is handed it (`transaction:`); a call without
/// one runs on a pooled connection, outside any transaction.
struct DocumentStore: Sendable {
    private let pool: MongoClientPool
    let logger: Logger

    init(pool: MongoClientPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// `body` in a new transaction, ended as `body` says. Retried as
    /// `MongoClientPool.withTransaction` retries: the whole body after a transient error,
    /// the commit after an unknown commit result. Run again in a new transaction when a
    /// write in it met a unique clash only at write time (`StoreTransaction.RunAgain`), at
    /// most `maxWriteRuns` times, then `unwritable`. Every run creates its new documents with
    /// the same ids (`TransactionRuns`).
    func transaction<T: Sendable>(
        options: TransactionOptions = TransactionOptions(), unwritable: String = Self.unwritable,
        _ body: (StoreTransaction) async throws -> TransactionEnd<T>
    ) async throws -> T {
        let runs = TransactionRuns()
        for _ in 0..<Self.maxWriteRuns {
            do {
                return try await pool.withTransaction(options: options) { open in
                    try await body(StoreTransaction(open, run: runs.attempt()))
                }.value
            } catch is StoreTransaction.RunAgain {
                continue  // a write clashed at write time: again, without its clashing documents
            } catch let error as MongoError where error.hasLabel(MongoError.unknownTransactionCommitResult) {
                // The commit was sent and its answer lost, again after the retries.
                throw DomainError.outcomeUnknown(DomainError.outcomeUnknownMessage)
            }
        }
        throw DomainError.internal(unwritable)
    }

    /// `body` as one thread-pool job: in `transaction`, or on a pooled connection outside any
    /// (its writes admitted by the request's `WriteFence`, when one is bound).
    func run<T: Sendable>(
        transaction: StoreTransaction? = nil, _ body: @escaping @Sendable (StoreConnection) throws -> T
    ) async throws -> T {
        if let transaction { return try await transaction.run(body) }
        let fence = WriteFence.current
        return try await pool.withConnection { connection in
            try body(StoreConnection(connection, session: nil, fence: fence))
        }
    }

    /// One operation, as `run`. Outside a transaction it runs again after a transient error
    /// while the retry budget lasts (`MongoClientPool.retryingTransientErrors`); in one, the
    /// transaction is what is retried (`transaction(options:_:)`).
    private func operation<T: Sendable>(
        transaction: StoreTransaction? = nil, _ body: @escaping @Sendable (StoreConnection) throws -> T
    ) async throws -> T {
        if let transaction { return try await transaction.run(body) }
        return try await pool.retryingTransientErrors { try await run(body) }
    }

    func isReachable() async -> Bool {
        (try? await pool.ping()) != nil
    }

    func findOne(in collection: String, filter: BSONDocument, transaction: StoreTransaction? = nil) async throws
        -> BSONDocument? {
        try await find(in: collection, filter: filter, sort: nil, skip: 0, limit: 1, transaction: transaction).first
    }

    func find(
        in collection: String, filter: BSONDocument, sort: BSONDocument?, skip: Int, limit: Int,
        transaction: StoreTransaction? = nil
    ) async throws -> [BSONDocument] {
        let filterBytes = filter.encoded()
        let sortBytes = sort?.encoded()
        return try await operation(transaction: transaction) { connection in
            try connection.find(in: collection, filter: filterBytes, sort: sortBytes, skip: skip, limit: limit)
        }
    }

    func count(in collection: String, filter: BSONDocument, transaction: StoreTransaction? = nil) async throws -> Int64 {
        let filterBytes = filter.encoded()
        return try await operation(transaction: transaction) { connection in
            try connection.count(in: collection, filter: filterBytes)
        }
    }

    /// How many documents matched `filter` (0 or 1); the first is updated.
    func updateOne(
        in collection: String, filter: BSONDocument, update: BSONDocument, transaction: StoreTransaction? = nil
    ) async throws -> Int {
        let filterBytes = filter.encoded()
        let updateBytes = update.encoded()
        return try await operation(transaction: transaction) { connection in
            try connection.updateOne(in: collection, filter: filterBytes, update: updateBytes).matchedCount
        }
    }

    /// How many documents matched `filter` (0 or 1); the first is replaced by `replacement`.
    func replaceOne(in collection: String, filter: BSONDocument, replacement: BSONDocument) async throws -> Int {
        let filterBytes = filter.encoded()
        let replacementBytes = replacement.encoded()
        return try await operation { connection in
            try connection.replaceOne(in: collection, filter: filterBytes, replacement: replacementBytes)
        }
    }

    /// Inserts `document` unless one with its `_id` is there; whether it did.
    func insertIfAbsent(_ document: BSONDocument, into collection: String) async throws -> Bool {
        let bytes = document.encoded()
        return try await operation { connection in
            var batch = BSONDocumentBatch(reservingBytes: bytes.count)
            batch.append { $0.append(contentsOf: bytes) }
            let outcome = try connection.insert(batch, into: collection, ordered: true)
            guard let error = outcome.writeErrors.first else { return true }
            guard error.isDuplicateKey else {
                throw MongoError(kind: .server, code: error.code, message: error.message, writeErrors: outcome.writeErrors)
            }
            return false
        }
    }

    /// Removes the first document matching `filter`; how many were removed (0 or 1).
    func deleteOne(in collection: String, filter: BSONDocument, transaction: StoreTransaction? = nil) async throws -> Int {
        let filterBytes = filter.encoded()
        return try await operation(transaction: transaction) { connection in
            try connection.deleteOne(in: collection, filter: filterBytes)
        }
    }

    /// Creates an index, or finds the identical one there; a TTL index (`expireAfterSeconds`)
    /// of that name with another expiry gets this one.
    func createIndex(
        on collection: String, keys: BSONDocument, name: String, unique: Bool = false, partialFilter: BSONDocument? = nil,
        expireAfterSeconds: Int? = nil
    ) async throws {
        let keyBytes = keys.encoded()
        let partialBytes = partialFilter?.encoded()
        try await run { connection in
            try connection.createIndex(
                on: collection, keys: keyBytes, name: name, unique: unique, partialFilter: partialBytes,
                expireAfterSeconds: expireAfterSeconds)
        }
    }

    /// One unordered insertMany: every document that can be written is; the others
    /// come back as failures keyed by their request index.
    func insertEach(
        _ documents: [PreparedDocument], into collection: String, transaction: StoreTransaction? = nil
    ) async throws -> [Int: DocumentFailure] {
        try await insertUnordered(
            Self.pack(documents), indices: documents.map(\.index), into: collection, transaction: transaction)
    }

    /// Documents already encoded (they passed schema validation: see `pack`); `indices[i]` is
    /// the request index of the i-th. Not atomic and in no transaction: one unordered
    /// insertMany, as `insertEach`. Otherwise one ordered insertMany in `transaction`, or in
    /// one of its own; atomic, a failure writes nothing and is returned. In a caller's
    /// transaction, a document that clashed at write time is left out when it runs again.
    func insertPacked(
        _ batch: BSONDocumentBatch, indices: [Int], into collection: String, atomic: Bool,
        transaction: StoreTransaction? = nil
    ) async throws -> [Int: DocumentFailure] {
        guard atomic || transaction != nil else {
            return try await insertUnordered(batch, indices: indices, into: collection, transaction: nil)
        }
        return try await write(
            atomic: atomic, transaction: transaction, unwritable: Self.unwritable
        ) { connection, excluded -> WriteRun<[Int: DocumentFailure], Int> in
            // Documents that clashed at write time in an earlier run (`write`): atomic, they
            // refuse the batch; otherwise they are left out.
            if atomic && !excluded.isEmpty { return .refused(excluded, clashes: [:]) }
            let kept = indices.indices.filter { excluded[indices[$0]] == nil }
            guard !kept.isEmpty else { return .written(excluded) }
            let writing = kept.count == indices.count ? batch : batch.keeping(kept)
            let failures = Self.failures(
                of: try connection.insert(writing, into: collection, ordered: true), indices: kept.map { indices[$0] })
            return failures.isEmpty ? .written(excluded) : .refused(failures, clashes: failures)
        }
    }

    /// The documents and their `outbox` records (post-hook deliveries, by request index) in
    /// one transaction, so that a written document never misses its deliveries: `transaction`,
    /// or one of its own. Unique-field clashes, within the batch and with stored documents of
    /// the tenant, are all found first. Atomic: any failure writes nothing and every failure
    /// is listed. Not atomic: the clashing documents are left out and the others written, as
    /// MongoDB would decide them one after the other: a document left out (it clashes with a
    /// stored one, or only at write time, e.g. through a concurrent insert, when the
    /// transaction runs again without it) takes no value from a later one.
    func insertRecorded(
        _ documents: [PreparedDocument], into collection: String, uniqueFields: [String], tenantId: String,
        outbox: OutboxRecords, atomic: Bool, transaction: StoreTransaction? = nil
    ) async throws -> [Int: DocumentFailure] {
        // Encoded once, outside the transaction (its body may run again): the whole batch
        // (and in `outbox`, each document's records).
        let everything = Self.pack(documents)
        return try await write(
            atomic: atomic, transaction: transaction, unwritable: Self.unwritable
        ) { connection, known -> WriteRun<[Int: DocumentFailure], Int> in
            var failures = known
            failures.merge(try UniqueConflicts.find(
                documents: documents.map { ($0.index, $0.document) }, fields: uniqueFields, tenantId: tenantId,
                leftOut: Set(known.keys), listEvery: atomic, on: connection, in: collection)) { kept, _ in kept }
            if atomic && !failures.isEmpty { return .refused(failures, clashes: [:]) }
            let writing = documents.filter { failures[$0.index] == nil }
            guard !writing.isEmpty else { return .written(failures) }
            let outcome = try connection.insert(
                writing.count == documents.count ? everything : Self.pack(writing), into: collection, ordered: true)
            if let error = outcome.writeErrors.first, writing.indices.contains(error.index) {
                let clash = [writing[error.index].index: WriteFailure.describe(error)]
                return .refused(clash, clashes: clash)
            }
            try connection.insertAll(
                outbox.encoded(writing: writing.map(\.index)), into: OutboxRecord.collection, what: "outbox")
            return .written(failures)
        }
    }

    private func insertUnordered(
        _ batch: BSONDocumentBatch, indices: [Int], into collection: String, transaction: StoreTransaction?
    ) async throws -> [Int: DocumentFailure] {
        try await operation(transaction: transaction) { connection in
            Self.failures(of: try connection.insert(batch, into: collection, ordered: false), indices: indices)
        }
    }

    /// The failures of an insertMany by request index (`indices[i]` for the i-th document).
    private static func failures(of outcome: InsertManyOutcome, indices: [Int]) -> [Int: DocumentFailure] {
        var failures: [Int: DocumentFailure] = [:]
        for error in outcome.writeErrors where indices.indices.contains(error.index) {
            failures[indices[error.index]] = WriteFailure.describe(error)
        }
        return failures
    }

    static let unwritable = "the documents could not be written"

    /// The documents encoded end to end in one buffer. They passed schema validation, which
    /// holds every key to what libmongoc would check (`FieldNameSafety`) and every string is
    /// valid UTF-8 (`JSONReader`), so the driver's own re-check is skipped on insert.
    static func pack(_ documents: [PreparedDocument]) -> BSONDocumentBatch {
        var batch = BSONDocumentBatch(reservingBytes: documents.count * 256)
        for prepared in documents { batch.append { prepared.document.encode(into: &$0) } }
        return batch
    }
}
