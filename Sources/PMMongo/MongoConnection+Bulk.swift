import CMongoC

/// Result of `replaceEach`.
public struct BulkReplaceOutcome: Sendable, Equatable {
    public var matchedCount: Int
    public var modifiedCount: Int
    /// Per-replacement failures (duplicate key, ...), by position in the request; with
    /// `ordered`, the first one stopped the rest.
    public var writeErrors: [MongoWriteError]
    /// The reply's error labels (`TransientTransactionError`, ...), for a caller that throws
    /// on a write error: the same labels a thrown `MongoError` would carry.
    public var errorLabels: [String]

    public init(matchedCount: Int, modifiedCount: Int, writeErrors: [MongoWriteError] = [], errorLabels: [String] = []) {
        self.matchedCount = matchedCount
        self.modifiedCount = modifiedCount
        self.writeErrors = writeErrors
        self.errorLabels = errorLabels
    }
}

extension MongoConnection {
    /// Replaces one document per `(filter, replacement)` in a single bulk write (one round
    /// trip for the lot, as many `update` commands as the server's batch limits need).
    /// Per-replacement failures are returned; anything else (network, command error, write
    /// concern error) throws. Inside a transaction a write error has aborted it.
    public func replaceEach(
        collection: String, _ replacements: [(filter: [UInt8], replacement: [UInt8])], ordered: Bool = true,
        session: MongoSession? = nil
    ) throws -> BulkReplaceOutcome {
        guard !replacements.isEmpty else { return BulkReplaceOutcome(matchedCount: 0, modifiedCount: 0) }
        var options = BSONWriter()
        options.append("ordered", ordered)
        let opts = try makeOptions(options, session: session)
        let reply = ReplyBSON()
        var error = bson_error_t()
        let ok = try withCollection(collection) { handle -> Bool in
            guard let bulk = mongoc_collection_create_bulk_operation_with_opts(handle, opts.pointer) else {
                throw MongoError(kind: .driver, message: "cannot start a bulk write on '\(collection)'")
            }
            defer { mongoc_bulk_operation_destroy(bulk) }
            for (index, item) in replacements.enumerated() {
                let selector = try OwnedBSON(bytes: item.filter, what: "filter \(index)")
                let document = try OwnedBSON(bytes: item.replacement, what: "replacement \(index)")
                guard mongoc_bulk_operation_replace_one_with_opts(bulk, selector.pointer, document.pointer, nil, &error)
                else { throw self.error(error, reply: nil) }
            }
            return mongoc_bulk_operation_execute(bulk, reply.pointer, &error) != 0
        }
        let info = ReplyInfo(parsing: reply.pointer)
        return BulkReplaceOutcome(
            matchedCount: Int(info.numbers["nMatched"] ?? 0), modifiedCount: Int(info.numbers["nModified"] ?? 0),
            writeErrors: try writeErrors(ok: ok, info: info, error: error, reply: reply), errorLabels: info.errorLabels)
    }
}
