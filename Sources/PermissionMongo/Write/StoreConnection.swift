import PMBSON
import PMMongo

/// The store's calls inside one thread-pool job (`DocumentStore.run`, `StoreTransaction.run`):
/// on a pooled connection, in a transaction when there is a session. Filters, sorts and
/// updates come encoded (encoded once, outside bodies that may run again); found documents
/// come back decoded.
struct StoreConnection {
    private let connection: MongoConnection
    /// The transaction's session; nil outside any transaction.
    private let session: MongoSession?
    /// Outside a transaction: the request's fence, which admits each write before it is sent.
    private let fence: WriteFence?

    init(_ connection: MongoConnection, session: MongoSession?, fence: WriteFence? = nil) {
        self.connection = connection
        self.session = session
        self.fence = fence
    }

    func find(
        in collection: String, filter: [UInt8], sort: [UInt8]? = nil, projection: [UInt8]? = nil, skip: Int = 0,
        limit: Int = 0
    ) throws -> [BSONDocument] {
        try connection.find(
            collection: collection, filter: filter, sort: sort, projection: projection, skip: Int64(skip),
            limit: Int64(limit), session: session
        ).map { try BSONDocument(bsonBytes: $0) }
    }

    /// `find`, the documents left as MongoDB sent them.
    func findStored(
        in collection: String, filter: [UInt8], sort: [UInt8]? = nil, projection: [UInt8]? = nil, limit: Int = 0
    ) throws -> [StoredBytes] {
        try connection.find(
            collection: collection, filter: filter, sort: sort, projection: projection, limit: Int64(limit),
            session: session
        ).compactMap(StoredBytes.init)
    }

    /// The documents an aggregation `{"pipeline": [...]}` returns.
    func aggregate(in collection: String, pipeline: [UInt8]) throws -> [BSONDocument] {
        try connection.aggregate(collection: collection, pipeline: pipeline, session: session)
            .map { try BSONDocument(bsonBytes: $0) }
    }

    func count(in collection: String, filter: [UInt8]) throws -> Int64 {
        try connection.count(collection: collection, filter: filter, session: session)
    }

    /// One insertMany of documents that passed schema validation (`DocumentStore.pack`);
    /// per-document failures are returned.
    func insert(_ batch: BSONDocumentBatch, into collection: String, ordered: Bool) throws -> InsertManyOutcome {
        try writing {
            try connection.insertMany(collection: collection, batch: batch, ordered: ordered, validate: false, session: session)
        }
    }

    /// Records the gateway writes itself (versions, outbox): a failure of any is an error
    /// whose message starts with `what`.
    func insertAll(_ documents: [[UInt8]], into collection: String, what: String) throws {
        guard !documents.isEmpty else { return }
        let outcome = try writing {
            try connection.insertMany(collection: collection, documents: documents, ordered: true, session: session)
        }
        if let error = outcome.writeErrors.first {
            throw MongoError(kind: .server, code: error.code, message: "\(what): \(error.message)")
        }
    }

    /// One bulk write of `(filter, replacement)` pairs, in order; per-replacement failures are returned.
    func replaceEach(in collection: String, _ replacements: [(filter: [UInt8], replacement: [UInt8])]) throws
        -> BulkReplaceOutcome {
        try writing { try connection.replaceEach(collection: collection, replacements, session: session) }
    }

    /// How many documents matched `filter` (0 or 1).
    func replaceOne(in collection: String, filter: [UInt8], replacement: [UInt8]) throws -> Int {
        try writing {
            try connection.replaceOne(collection: collection, filter: filter, replacement: replacement, session: session)
        }.matchedCount
    }

    func updateOne(in collection: String, filter: [UInt8], update: [UInt8]) throws -> UpdateOutcome {
        try writing { try connection.updateOne(collection: collection, filter: filter, update: update, session: session) }
    }

    /// How many documents matched and how many were modified.
    func updateMany(in collection: String, filter: [UInt8], update: [UInt8]) throws -> UpdateOutcome {
        try writing { try connection.updateMany(collection: collection, filter: filter, update: update, session: session) }
    }

    /// How many documents were removed.
    func deleteMany(in collection: String, filter: [UInt8]) throws -> Int {
        try writing { try connection.deleteMany(collection: collection, filter: filter, session: session).deletedCount }
    }

    /// How many documents were removed (0 or 1).
    func deleteOne(in collection: String, filter: [UInt8]) throws -> Int {
        try writing { try connection.deleteOne(collection: collection, filter: filter, session: session).deletedCount }
    }

    /// A database command (index management: outside any transaction); the server's reply.
    func command(_ command: [UInt8]) throws -> BSONDocument {
        try BSONDocument(bsonBytes: connection.runCommand(command))
    }

    func createIndex(
        on collection: String, keys: [UInt8], name: String, unique: Bool, partialFilter: [UInt8]?,
        expireAfterSeconds: Int? = nil
    ) throws {
        try connection.createIndex(
            collection: collection, keys: keys, name: name, unique: unique, partialFilter: partialFilter,
            expireAfterSeconds: expireAfterSeconds)
    }

    /// A write outside any transaction whose connection failed after it was sent may have
    /// been applied: `outcome_unknown`, not `unavailable` (which promises nothing was written).
    /// In a transaction nothing is applied before the commit (`DocumentStore.transaction`).
    /// Outside a transaction the write is admitted by the request's fence once a server is
    /// selected for it (`WriteFence`).
    private func writing<T>(_ body: () throws -> T) throws -> T {
        if session == nil, let fence {
            try connection.selectWritableServer()
            try fence.admitWrite()
        }
        do {
            return try body()
        } catch let error as MongoError where session == nil && error.kind == .connection && !error.isServerSelectionFailure {
            throw DomainError.outcomeUnknown(DomainError.outcomeUnknownMessage)
        }
    }
}
