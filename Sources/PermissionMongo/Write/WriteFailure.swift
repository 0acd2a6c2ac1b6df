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

    /// Several fields of one unique index (docs/API.md, "Indexes").
    private static func duplicate(fields: [String], values: [BSON]) -> DocumentFailure {
        guard fields.count > 1 else { return duplicate(field: fields[0], value: values[0]) }
        return DocumentFailure(
            .duplicateKey,
            "\(listed(fields)) together must be unique: \(listed(values.map(\.jsonString))) already exist")
    }

    /// From an E11000 error document: the unique fields are the `keyValue` entries other than the tenant.
    private static func duplicate(details bytes: [UInt8]) -> DocumentFailure {
        if let details = try? BSONDocument(bsonBytes: bytes),
           case .document(let keyValue)? = details["keyValue"] {
            let unique = keyValue.elements.filter { $0.key != "tenant_id" }
            if !unique.isEmpty { return duplicate(fields: unique.map(\.key), values: unique.map(\.value)) }
        }
        return DocumentFailure(.duplicateKey, "a unique field already has this value")
    }

    /// `a`, `a and b`, `a, b and c`.
    private static func listed(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}
