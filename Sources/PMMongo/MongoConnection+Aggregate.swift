import CMongoC

extension MongoConnection {
    /// The documents an aggregation returns. `pipeline` is a BSON document `{"pipeline": [...]}`.
    public func aggregate(collection: String, pipeline: [UInt8], session: MongoSession? = nil) throws -> [[UInt8]] {
        let stages = try OwnedBSON(bytes: pipeline, what: "pipeline")
        var options = BSONWriter()
        limitTime(&options)
        let opts = try makeOptions(options, session: session)
        return try withCollection(collection) { handle in
            guard let cursor = mongoc_collection_aggregate(handle, MONGOC_QUERY_NONE, stages.pointer, opts.pointer, nil)
            else {
                throw MongoError(kind: .driver, message: "mongoc_collection_aggregate returned no cursor")
            }
            defer { mongoc_cursor_destroy(cursor) }
            return try drain(cursor)
        }
    }
}
