import CMongoC

/// One libmongoc client checked out of a `MongoClientPool`.
///
/// Only valid inside the `withConnection` job that created it (it is not
/// Sendable and is invalidated when the job ends). All calls block the
/// current thread-pool thread. Documents, filters, updates and replies are
/// complete BSON documents as bytes.
public final class MongoConnection {
    private var client: OpaquePointer?
    let context: PoolContext

    init(client: OpaquePointer, context: PoolContext) {
        self.client = client
        self.context = context
    }

    /// The pool's default database, used by all collection operations.
    public var database: String { context.database }

    func invalidate() {
        client = nil
    }

    func liveClient() throws -> OpaquePointer {
        guard let client else {
            throw MongoError.closed("MongoConnection used outside its withConnection job")
        }
        return client
    }

    func error(_ error: bson_error_t, reply: OpaquePointer?) -> MongoError {
        MongoError(error, reply: reply, redactor: context.redactor)
    }

    // MARK: - Writes

    /// Inserts `documents`. Documents without `_id` get an ObjectId from the driver.
    ///
    /// Per-document failures (duplicate key, validation) are returned in the
    /// outcome, not thrown; with `ordered: false` every other document is still
    /// inserted. Anything else (network, command error, write concern error) throws.
    /// Inside a transaction, a returned write error has aborted the transaction
    /// on the server: throw from the transaction body.
    public func insertMany(
        collection: String, documents: [[UInt8]], ordered: Bool = true, session: MongoSession? = nil
    ) throws -> InsertManyOutcome {
        try insertMany(collection: collection, batch: BSONDocumentBatch(documents), ordered: ordered, session: session)
    }

    /// `insertMany` of the documents packed in `batch`, which the driver reads in place.
    /// - Parameter validate: libmongoc's client-side check of every document (UTF-8, no
    ///   empty, `$`-prefixed or dotted keys); pass `false` only for documents already held
    ///   to those rules.
    public func insertMany(
        collection: String, batch: BSONDocumentBatch, ordered: Bool = true, validate: Bool = true,
        session: MongoSession? = nil
    ) throws -> InsertManyOutcome {
        guard !batch.isEmpty else { return InsertManyOutcome(insertedCount: 0, writeErrors: []) }
        var options = BSONWriter()
        options.append("ordered", ordered)
        if !validate { options.append("validate", false) }
        let opts = try makeOptions(options, session: session)
        let reply = ReplyBSON()
        var error = bson_error_t()
        let stride = pm_bson_sizeof()
        let views = UnsafeMutableRawPointer.allocate(byteCount: stride * batch.count, alignment: pm_bson_alignof())
        defer { views.deallocate() }
        let ok = try batch.bytes.withUnsafeBufferPointer { buffer -> Bool in
            var pointers: [OpaquePointer?] = []
            pointers.reserveCapacity(batch.count)
            var offset = 0
            for index in 0..<batch.count {
                let view = OpaquePointer(views + index * stride)
                guard let length = BSONDocumentBatch.length(at: offset, in: buffer), let base = buffer.baseAddress,
                      bson_init_static(view, base + offset, length)
                else { throw Self.notADocument("document \(index)") }
                pointers.append(view)
                offset += length
            }
            return try withCollection(collection) { handle in
                pointers.withUnsafeMutableBufferPointer { list in
                    mongoc_collection_insert_many(handle, list.baseAddress, list.count, opts.pointer, reply.pointer, &error)
                }
            }
        }
        let info = ReplyInfo(parsing: reply.pointer)
        return InsertManyOutcome(
            insertedCount: Int(info.numbers["insertedCount"] ?? 0),
            writeErrors: try writeErrors(ok: ok, info: info, error: error, reply: reply))
    }

    /// The per-document errors of a write whose driver call returned `ok`, in index order.
    /// Only per-document errors are an outcome; a write concern error or any other failure
    /// is thrown.
    func writeErrors(ok: Bool, info: ReplyInfo, error: bson_error_t, reply: ReplyBSON) throws -> [MongoWriteError] {
        if ok { return [] }
        if !info.writeErrors.isEmpty, !Self.hasWriteConcernError(reply.pointer) {
            return info.writeErrors.sorted { $0.index < $1.index }
        }
        throw self.error(error, reply: reply.pointer)
    }

    /// Updates every document matching `filter` with the update document `update`
    /// (`{"$set": ...}` etc.). Throws on any failure, including a write error
    /// (e.g. duplicate key: `MongoError.isDuplicateKey`).
    public func updateMany(
        collection: String, filter: [UInt8], update: [UInt8], upsert: Bool = false, session: MongoSession? = nil
    ) throws -> UpdateOutcome {
        try runUpdate(kind: .many, collection: collection, filter: filter, update: update, upsert: upsert, session: session)
    }

    /// Updates the first document matching `filter`.
    public func updateOne(
        collection: String, filter: [UInt8], update: [UInt8], upsert: Bool = false, session: MongoSession? = nil
    ) throws -> UpdateOutcome {
        try runUpdate(kind: .one, collection: collection, filter: filter, update: update, upsert: upsert, session: session)
    }

    /// Replaces the first document matching `filter` with `replacement` (no update
    /// operators; `_id` must stay the same). Throws on a write error, e.g. a duplicate key.
    public func replaceOne(
        collection: String, filter: [UInt8], replacement: [UInt8], upsert: Bool = false, session: MongoSession? = nil
    ) throws -> UpdateOutcome {
        try runUpdate(kind: .replace, collection: collection, filter: filter, update: replacement, upsert: upsert, session: session)
    }

    /// Deletes every document matching `filter`.
    public func deleteMany(collection: String, filter: [UInt8], session: MongoSession? = nil) throws -> DeleteOutcome {
        try runDelete(many: true, collection: collection, filter: filter, session: session)
    }

    /// Deletes the first document matching `filter`.
    public func deleteOne(collection: String, filter: [UInt8], session: MongoSession? = nil) throws -> DeleteOutcome {
        try runDelete(many: false, collection: collection, filter: filter, session: session)
    }

    private enum UpdateKind { case one, many, replace }

    private func runUpdate(
        kind: UpdateKind, collection: String, filter: [UInt8], update: [UInt8], upsert: Bool, session: MongoSession?
    ) throws -> UpdateOutcome {
        let selector = try OwnedBSON(bytes: filter, what: "filter")
        let updateDocument = try OwnedBSON(bytes: update, what: "update")
        var options = BSONWriter()
        if upsert { options.append("upsert", true) }
        let opts = try makeOptions(options, session: session)
        let reply = ReplyBSON()
        var error = bson_error_t()
        let ok = try withCollection(collection) { handle in
            switch kind {
            case .many:
                mongoc_collection_update_many(handle, selector.pointer, updateDocument.pointer, opts.pointer, reply.pointer, &error)
            case .one:
                mongoc_collection_update_one(handle, selector.pointer, updateDocument.pointer, opts.pointer, reply.pointer, &error)
            case .replace:
                mongoc_collection_replace_one(handle, selector.pointer, updateDocument.pointer, opts.pointer, reply.pointer, &error)
            }
        }
        guard ok else { throw self.error(error, reply: reply.pointer) }
        let info = ReplyInfo(parsing: reply.pointer)
        return UpdateOutcome(
            matchedCount: Int(info.numbers["matchedCount"] ?? 0),
            modifiedCount: Int(info.numbers["modifiedCount"] ?? 0),
            upsertedCount: Int(info.numbers["upsertedCount"] ?? 0),
            upsertedId: info.upsertedId
        )
    }

    private func runDelete(many: Bool, collection: String, filter: [UInt8], session: MongoSession?) throws -> DeleteOutcome {
        let selector = try OwnedBSON(bytes: filter, what: "filter")
        let opts = try makeOptions(BSONWriter(), session: session)
        let reply = ReplyBSON()
        var error = bson_error_t()
        let ok = try withCollection(collection) { handle in
            many
                ? mongoc_collection_delete_many(handle, selector.pointer, opts.pointer, reply.pointer, &error)
                : mongoc_collection_delete_one(handle, selector.pointer, opts.pointer, reply.pointer, &error)
        }
        guard ok else { throw self.error(error, reply: reply.pointer) }
        let info = ReplyInfo(parsing: reply.pointer)
        return DeleteOutcome(deletedCount: Int(info.numbers["deletedCount"] ?? 0))
    }

    // MARK: - Reads

    /// Returns every document matching `filter` (a complete BSON document each).
    /// `skip`/`limit` of 0 mean none.
    public func find(
        collection: String, filter: [UInt8], sort: [UInt8]? = nil, projection: [UInt8]? = nil,
        skip: Int64 = 0, limit: Int64 = 0, session: MongoSession? = nil
    ) throws -> [[UInt8]] {
        let query = try OwnedBSON(bytes: filter, what: "filter")
        var options = BSONWriter()
        if let sort {
            guard isPlausibleBSONDocument(sort) else { throw Self.notADocument("sort") }
            options.append("sort", document: sort)
        }
        if let projection {
            guard isPlausibleBSONDocument(projection) else { throw Self.notADocument("projection") }
            options.append("projection", document: projection)
        }
        if skip > 0 { options.append("skip", skip) }
        if limit > 0 { options.append("limit", limit) }
        limitTime(&options)
        let opts = try makeOptions(options, session: session)
        return try withCollection(collection) { handle in
            guard let cursor = mongoc_collection_find_with_opts(handle, query.pointer, opts.pointer, nil) else {
                throw MongoError(kind: .driver, message: "mongoc_collection_find_with_opts returned no cursor")
            }
            defer { mongoc_cursor_destroy(cursor) }
            return try drain(cursor)
        }
    }

    /// Every document of `cursor`, as bytes; the cursor's error, if it ends with one.
    func drain(_ cursor: OpaquePointer) throws -> [[UInt8]] {
        var documents: [[UInt8]] = []
        var current: OpaquePointer? = nil
        while mongoc_cursor_next(cursor, &current) {
            if let current { documents.append(bsonBytes(current)) }
        }
        var error = bson_error_t()
        var errorReply: OpaquePointer? = nil
        if mongoc_cursor_error_document(cursor, &error, &errorReply) {
            throw self.error(error, reply: errorReply)
        }
        return documents
    }

    /// Counts the documents matching `filter` (`countDocuments`).
    /// `limit` > 0 stops counting there (cheap "more than N?" checks).
    public func count(
        collection: String, filter: [UInt8], limit: Int64 = 0, session: MongoSession? = nil
    ) throws -> Int64 {
        let query = try OwnedBSON(bytes: filter, what: "filter")
        var options = BSONWriter()
        if limit > 0 { options.append("limit", limit) }
        limitTime(&options)
        let opts = try makeOptions(options, session: session)
        let reply = ReplyBSON()
        var error = bson_error_t()
        let count = try withCollection(collection) { handle in
            mongoc_collection_count_documents(handle, query.pointer, opts.pointer, nil, reply.pointer, &error)
        }
        guard count >= 0 else { throw self.error(error, reply: reply.pointer) }
        return count
    }

    // MARK: - Commands

    /// Creates an index (`createIndexes`). Succeeds when an identical index exists.
    /// - Parameters:
    ///   - keys: the key pattern, e.g. `{"sku": 1}`.
    ///   - partialFilter: optional `partialFilterExpression`.
    ///   - expireAfterSeconds: a TTL index: documents are removed this long after the date
    ///     in the indexed field. An index of that name with another expiry is changed to
    ///     this one (`collMod`).
    public func createIndex(
        collection: String, keys: [UInt8], name: String, unique: Bool = false, partialFilter: [UInt8]? = nil,
        expireAfterSeconds: Int? = nil
    ) throws {
        guard isPlausibleBSONDocument(keys) else { throw Self.notADocument("keys") }
        var index = BSONWriter()
        index.append("key", document: keys)
        index.append("name", name)
        if unique { index.append("unique", true) }
        if let partialFilter {
            guard isPlausibleBSONDocument(partialFilter) else { throw Self.notADocument("partialFilter") }
            index.append("partialFilterExpression", document: partialFilter)
        }
        if let expireAfterSeconds { index.append("expireAfterSeconds", Int64(expireAfterSeconds)) }
        var command = BSONWriter()
        command.append("createIndexes", collection)
        command.append("indexes", documents: [index.finish()])
        do {
            _ = try runCommand(command.finish())
        } catch let error as MongoError where error.isIndexSpecConflict && expireAfterSeconds != nil {
            var changed = BSONWriter()
            changed.append("name", name)
            changed.append("expireAfterSeconds", Int64(expireAfterSeconds ?? 0))
            var collMod = BSONWriter()
            collMod.append("collMod", collection)
            collMod.append("index", document: changed.finish())
            _ = try runCommand(collMod.finish())
        }
    }

    /// Runs a database command and returns the server reply.
    /// Throws when the command fails (`ok: 0`), with the reply in `MongoError.reply`.
    /// - Parameter database: defaults to the pool's database.
    public func runCommand(_ command: [UInt8], database: String? = nil, session: MongoSession? = nil) throws -> [UInt8] {
        let commandDocument = try OwnedBSON(bytes: command, what: "command")
        let opts = try makeOptions(BSONWriter(), session: session)
        let client = try liveClient()
        let reply = ReplyBSON()
        var error = bson_error_t()
        let ok = mongoc_client_command_with_opts(
            client, database ?? context.database, commandDocument.pointer, nil, opts.pointer, reply.pointer, &error
        )
        guard ok else { throw self.error(error, reply: reply.pointer) }
        return reply.bytes
    }

    /// Waits until a server that takes writes is selected (at most the server selection
    /// timeout); throws, as any operation would, when none is. An operation sent right after
    /// reaches that server: a caller that must know whether a write was sent
    /// (`WriteFence`) admits it only after this.
    public func selectWritableServer() throws {
        let client = try liveClient()
        var error = bson_error_t()
        guard let server = mongoc_client_select_server(client, true, nil, &error) else {
            throw self.error(error, reply: nil)
        }
        mongoc_server_description_destroy(server)
    }

    // MARK: - Helpers

    func withCollection<R>(_ name: String, _ body: (OpaquePointer) throws -> R) throws -> R {
        let client = try liveClient()
        guard !name.isEmpty, !name.contains("\0"), !name.hasPrefix("$") else {
            throw MongoError(kind: .invalidArgument, message: "invalid collection name '\(name)'")
        }
        guard let handle = mongoc_client_get_collection(client, context.database, name) else {
            throw MongoError(kind: .driver, message: "cannot open collection '\(name)'")
        }
        defer { mongoc_collection_destroy(handle) }
        return try body(handle)
    }

    /// `maxTimeMS` of the pool (`MongoPoolOptions.maxTimeMS`), for queries and counts.
    /// Not for updates and deletes: libmongoc puts options it does not know into the update
    /// or delete statement, where the server refuses `maxTimeMS` (40415).
    func limitTime(_ options: inout BSONWriter) {
        if let maxTimeMS = context.maxTimeMS { options.append("maxTimeMS", Int64(maxTimeMS)) }
    }

    /// Options document for a driver call, with the session's `lsid` appended.
    func makeOptions(_ options: BSONWriter, session: MongoSession?) throws -> OwnedBSON {
        let opts = try OwnedBSON(bytes: options.finish(), what: "options")
        if let session {
            let sessionPointer = try session.livePointer()
            guard session.client == (try liveClient()) else {
                throw MongoError(kind: .invalidArgument, message: "the session belongs to another connection")
            }
            var error = bson_error_t()
            guard mongoc_client_session_append(sessionPointer, opts.pointer, &error) else {
                throw self.error(error, reply: nil)
            }
        }
        return opts
    }

    static func hasWriteConcernError(_ reply: OpaquePointer) -> Bool {
        guard let iterator = BSONIterator(document: reply) else { return false }
        while iterator.next() {
            let key = iterator.key
            if key == "writeConcernErrors" || key == "writeConcernError" {
                // An empty array means none.
                guard let children = BSONIterator(children: iterator) else { return true }
                return children.next()
            }
        }
        return false
    }

    private static func notADocument(_ what: String) -> MongoError {
        MongoError(kind: .invalidArgument, message: "\(what) is not a complete BSON document")
    }
}

@available(*, unavailable, message: "a MongoConnection is only valid inside its withConnection job")
extension MongoConnection: Sendable {}
