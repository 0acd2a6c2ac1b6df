import Logging
import PMBSON
import PMMongo

/// The gateway's view of MongoDB: documents in, documents out, in the PMBSON model.
/// Encoding and decoding happen here; the driver calls run on PMMongo's thread pool.
///
/// A store bound to an `OpenTransaction` (`within(_:)`, for atomic mixed batches) runs
/// every read and write in that transaction; its transactional writes join it instead of
/// starting their own.
struct DocumentStore: Sendable {
    let pool: MongoClientPool
    let logger: Logger
    private(set) var transaction: OpenTransaction? = nil

    init(pool: MongoClientPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// The same store with everything in `transaction`.
    func within(_ transaction: OpenTransaction) -> DocumentStore {
        var bound = self
        bound.transaction = transaction
        return bound
    }

    /// `body` on a connection: in the bound transaction, or on a pooled connection outside any.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (MongoConnection, MongoSession?) throws -> T
    ) async throws -> T {
        if let transaction { return try await transaction.run { connection, session in try body(connection, session) } }
        return try await pool.withConnection { connection in try body(connection, nil) }
    }

    /// `body` in a transaction: the bound one, or a new one (retried on transient errors).
    func withTransaction<T: Sendable>(
        _ body: @escaping @Sendable (MongoConnection, MongoSession) throws -> T
    ) async throws -> T {
        if let transaction { return try await transaction.run(body) }
        return try await pool.withTransaction(body).value
    }

    func isReachable() async -> Bool {
        (try? await pool.ping()) != nil
    }

    func findOne(in collection: String, filter: BSONDocument) async throws -> BSONDocument? {
        try await find(in: collection, filter: filter, sort: nil, skip: 0, limit: 1).first
    }

    func find(
        in collection: String, filter: BSONDocument, sort: BSONDocument?, skip: Int, limit: Int
    ) async throws -> [BSONDocument] {
        let filterBytes = filter.encoded()
        let sortBytes = sort?.encoded()
        return try await withConnection { connection, session in
            try connection.find(
                collection: collection, filter: filterBytes, sort: sortBytes,
                skip: Int64(skip), limit: Int64(limit), session: session
            ).map { try BSONDocument(bsonBytes: $0) }
        }
    }

    func count(in collection: String, filter: BSONDocument) async throws -> Int64 {
        let filterBytes = filter.encoded()
        return try await withConnection { connection, session in
            try connection.count(collection: collection, filter: filterBytes, session: session)
        }
    }

    /// Removes the first document matching `filter`; how many were removed (0 or 1).
    func deleteOne(in collection: String, filter: BSONDocument) async throws -> Int {
        let filterBytes = filter.encoded()
        return try await withConnection { connection, session in
            try connection.deleteOne(collection: collection, filter: filterBytes, session: session).deletedCount
        }
    }

    /// One unordered insertMany: every document that can be written is; the others
    /// come back as failures keyed by their request index. Then the `outbox` records
    /// (post-hook deliveries, by request index) of the documents that were written.
    func insertEach(
        _ documents: [PreparedDocument], into collection: String, outbox: [Int: [BSONDocument]] = [:]
    ) async throws -> [Int: DocumentFailure] {
        let encoded = Self.pack(documents)
        let requestIndexes = documents.map(\.index)
        let logger = logger
        let outcome = try await withConnection { connection, session in
            let outcome = try connection.insertMany(
                collection: collection, batch: encoded, ordered: false, validate: false, session: session)
            if !outbox.isEmpty {
                let failed = outcome.failedIndexes
                let records = requestIndexes.indices.filter { !failed.contains($0) }
                    .flatMap { outbox[requestIndexes[$0]] ?? [] }.map { $0.encoded() }
                do {
                    _ = try connection.insertMany(
                        collection: OutboxRecord.collection, documents: records, session: session)
                } catch {
                    logger.error("post-hook deliveries could not be recorded", metadata: ["error": "\(error)"])
                }
            }
            return outcome
        }
        var failures: [Int: DocumentFailure] = [:]
        for error in outcome.writeErrors where documents.indices.contains(error.index) {
            failures[documents[error.index].index] = WriteFailure.describe(error)
        }
        return failures
    }

    /// All documents in one transaction, or none. Unique-field clashes (inside the batch
    /// and with stored documents of the tenant) are all found first, so the answer lists
    /// every failure, not only the first one the server would stop at.
    func insertAllOrNothing(
        _ documents: [PreparedDocument], into collection: String, uniqueFields: [String], tenantId: String,
        outbox: [Int: [BSONDocument]] = [:]
    ) async throws -> [Int: DocumentFailure] {
        let conflicts = UniqueConflicts(documents: documents, fields: uniqueFields, tenantId: tenantId)
        let withinBatch = conflicts.withinBatch
        let lookups = conflicts.storedLookups()
        let encoded = Self.pack(documents)
        let requestIndexes = documents.map(\.index)
        let outboxRecords = requestIndexes.flatMap { outbox[$0] ?? [] }.map { $0.encoded() }
        do {
            _ = try await withTransaction { connection, session in
                var stored = [Int: DocumentFailure]()
                for lookup in lookups {
                    let found = try connection.find(
                        collection: collection, filter: lookup.filter, projection: lookup.projection, session: session)
                    for bytes in found {
                        stored.merge(try lookup.clashes(with: BSONDocument(bsonBytes: bytes))) { a, _ in a }
                    }
                }
                stored.merge(withinBatch) { a, _ in a }
                if !stored.isEmpty { throw AtomicAbort(failures: stored) }
                let outcome = try connection.insertMany(
                    collection: collection, batch: encoded, ordered: true, validate: false, session: session)
                if !outcome.writeErrors.isEmpty {
                    var written = [Int: DocumentFailure]()
                    for error in outcome.writeErrors where requestIndexes.indices.contains(error.index) {
                        written[requestIndexes[error.index]] = WriteFailure.describe(error)
                    }
                    throw AtomicAbort(failures: written)
                }
                // Post-hook deliveries commit with the documents, or not at all.
                let recorded = try connection.insertMany(
                    collection: OutboxRecord.collection, documents: outboxRecords, ordered: true, session: session)
                if let error = recorded.writeErrors.first {
                    throw MongoError(kind: .server, code: error.code, message: "outbox: \(error.message)")
                }
            }
        } catch let abort as AtomicAbort {
            return abort.failures
        }
        return [:]
    }
}

extension DocumentStore {
    /// The documents encoded end to end in one buffer. They passed schema validation, which
    /// holds every key to what libmongoc would check (`FieldNameSafety`) and every string is
    /// valid UTF-8 (`JSONReader`), so the driver's own re-check is skipped on insert.
    static func pack(_ documents: [PreparedDocument]) -> BSONDocumentBatch {
        var batch = BSONDocumentBatch(reservingBytes: documents.count * 256)
        for prepared in documents { batch.append { prepared.document.encode(into: &$0) } }
        return batch
    }
}

/// Thrown inside a transaction body to abort it with the failures to report.
struct AtomicAbort: Error {
    var failures: [Int: DocumentFailure]
}
