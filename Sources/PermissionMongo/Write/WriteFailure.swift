import PMBSON
import PMMongo

/// Turns a driver write error into a per-document failure a client can act on.
/// E11000 names the field and value from the server's `keyValue`.
enum WriteFailure {
    static func describe(_ error: MongoWriteError) -> DocumentFailure {
        guard error.isDuplicateKey else {
            return DocumentFailure(.writeFailed, "the document could not be written (code \(error.code))")
        }
        return duplicate(details: error.document)
    }

    /// A duplicate key reported for a single write (update/replace) rather than an insertMany.
    static func describe(_ error: MongoError) -> DocumentFailure {
        if let first = error.writeErrors.first { return describe(first) }
        return duplicate(details: error.reply ?? [])
    }

    static func duplicate(field: String, value: BSON) -> DocumentFailure {
        DocumentFailure(.duplicateKey, "\(field) must be unique: \(value.jsonString) already exists")
    }

    /// From an E11000 error document: the unique field is the `keyValue` entry that is not the tenant.
    private static func duplicate(details bytes: [UInt8]) -> DocumentFailure {
        if let details = try? BSONDocument(bsonBytes: bytes),
           case .document(let keyValue)? = details["keyValue"],
           let field = keyValue.elements.last(where: { $0.key != "tenant_id" }) {
            return duplicate(field: field.key, value: field.value)
        }
        return DocumentFailure(.duplicateKey, "a unique field already has this value")
    }
}
