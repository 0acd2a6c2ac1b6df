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
    /// come back as failures keyed by their request index.
    func insertEach(_ documents: [PreparedDocument], into collection: String) async throws -> [Int: DocumentFailure] {
        try await insertPacked(Self.pack(documents), indices: documents.map(\.index), into: collection, atomic: false)
    }

    /// Documents already encoded (they passed schema validation: see `pack`); `indices[i]` is
    /// the request index of the i-th. Not atomic: one unordered insertMany, as `insertEach`.
    /// Atomic: one ordered insertMany in a transaction; a failure writes nothing and is returned.
    func insertPacked(
        _ batch: BSONDocumentBatch, indices: [Int], into collection: String, atomic: Bool
    ) async throws -> [Int: DocumentFailure] {
        guard atomic else {
            let outcome = try await withConnection { connection, session in
                try connection.insertMany(
                    collection: collection, batch: batch, ordered: false, validate: false, session: session)
            }
            var failures: [Int: DocumentFailure] = [:]
            for error in outcome.writeErrors where indices.indices.contains(error.index) {
                failures[indices[error.index]] = WriteFailure.describe(error)
            }
            return failures
        }
        do {
            return try await withTransaction { connection, session in
                let outcome = try connection.insertMany(
                    collection: collection, batch: batch, ordered: true, validate: false, session: session)
                if let error = outcome.writeErrors.first, indices.indices.contains(error.index) {
                    throw AtomicAbort(failures: [indices[error.index]: WriteFailure.describe(error)])
                }
                return [:]
            }
        } catch let abort as AtomicAbort {
            return abort.failures
        }
    }

    /// The documents and their `outbox` records (post-hook deliveries, by request index) in
    /// one transaction, so that a written document never misses its deliveries. Unique-field
    /// clashes, within the batch and with stored documents of the tenant, are all found
    /// first. Atomic: any failure writes nothing and every failure is listed. Not atomic: the
    /// clashing documents are left out and the others written; one that clashes only at
    /// write time (a concurrent insert) is left out and the transaction run again.
    func insertRecorded(
        _ documents: [PreparedDocument], into collection: String, uniqueFields: [String], tenantId: String,
        outbox: [Int: [BSONDocument]], atomic: Bool
    ) async throws -> [Int: DocumentFailure] {
        let conflicts = UniqueConflicts(documents: documents, fields: uniqueFields, tenantId: tenantId)
        let lookups = conflicts.storedLookups()
        var excluded = conflicts.withinBatch
        // Encoded once, outside the transaction (its body reruns on transient errors): the
        // whole batch, and each document's outbox records.
        let everything = Self.pack(documents)
        let encodedOutbox = outbox.mapValues { records in records.map { $0.encoded() } }
        for _ in 0..<8 {
            let known = excluded
            do {
                return try await withTransaction { connection, session in
                    var failures = known
                    for lookup in lookups {
                        let found = try connection.find(
                            collection: collection, filter: lookup.filter, projection: lookup.projection,
                            session: session)
                        for bytes in found {
                            failures.merge(try lookup.clashes(with: BSONDocument(bsonBytes: bytes))) { a, _ in a }
                        }
                    }
                    if atomic && !failures.isEmpty { throw AtomicAbort(failures: failures) }
                    let writing = documents.filter { failures[$0.index] == nil }
                    guard !writing.isEmpty else { return failures }
                    let outcome = try connection.insertMany(
                        collection: collection, batch: writing.count == documents.count ? everything : Self.pack(writing),
                        ordered: true, validate: false, session: session)
                    if let error = outcome.writeErrors.first, writing.indices.contains(error.index) {
                        throw AtomicAbort(failures: [writing[error.index].index: WriteFailure.describe(error)])
                    }
                    let records = writing.flatMap { encodedOutbox[$0.index] ?? [] }
                    let recorded = try connection.insertMany(
                        collection: OutboxRecord.collection, documents: records, ordered: true, session: session)
                    if let error = recorded.writeErrors.first {
                        throw MongoError(kind: .server, code: error.code, message: "outbox: \(error.message)")
                    }
                    return failures
                }
            } catch let abort as AtomicAbort where !atomic {
                excluded.merge(abort.failures) { a, _ in a }
            } catch let abort as AtomicAbort {
                return abort.failures
            }
        }
        throw GatewayError(.internal, "the documents could not be written")
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
