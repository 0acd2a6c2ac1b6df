import PMBSON

extension DeclaredIndex {
    /// `tenant_id: 1`, then the declared fields in order. A TTL index has its one field only:
    /// MongoDB TTL indexes are single-field.
    var keyPattern: BSONDocument {
        var keys = BSONDocument()
        if expireAfterSeconds == nil { keys.append("tenant_id", .int32(1)) }
        for field in fields { keys.append(field.path, .int32(field.order.rawValue)) }
        return keys
    }

    /// The `createIndexes` entry. A unique index is partial on every field existing: like a
    /// `unique` field's, it leaves out documents without them.
    var specification: BSONDocument {
        var index = BSONDocument(["key": .document(keyPattern), "name": .string(name)])
        if unique {
            index.append("unique", .bool(true))
            var partial = BSONDocument()
            for field in fields { partial.append(field.path, .document(BSONDocument(["$exists": .bool(true)]))) }
            index.append("partialFilterExpression", .document(partial))
        }
        if let expireAfterSeconds { index.append("expireAfterSeconds", .int32(Int32(expireAfterSeconds))) }
        return index
    }
}
