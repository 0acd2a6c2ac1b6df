import PMBSON
import PMSchema

/// The body of `PUT /{collection}/batch` (`ids`|`filter` + `update`) or
/// `DELETE /{collection}/batch` (`ids`|`filter`), checked for shape and size.
struct ChangeBatchPlan {
    var target: DocumentTarget
    var update: BSONDocument?

    init(body: BSONDocument, collection: CollectionConfig, limits: ServerSettings, needsUpdate: Bool) throws {
        try BodyShape.allowOnly(needsUpdate ? ["ids", "filter", "update"] : ["ids", "filter"], in: body)
        target = try DocumentTarget(body: body, maxBatchSize: limits.maxBatchSize)
            .checked(against: collection.schema, maxRegexLength: limits.maxRegexLength)
        guard needsUpdate else { return }
        guard let value = body["update"] else { throw DomainError.invalidRequest("\"update\" is required") }
        guard case .document(let update) = value else {
            throw DomainError.invalidRequest("\"update\" must be an object")
        }
        self.update = update
    }
}

/// The documents of a `POST /{collection}/batch` body, checked for shape and size.
struct CreateBatchPlan {
    var documents: [BSONDocument]

    init(body: BSONDocument, maxBatchSize: Int) throws {
        try BodyShape.allowOnly(["documents"], in: body)
        let items = try BodyShape.nonEmptyArray("documents", in: body)
        guard items.count <= maxBatchSize else {
            throw DomainError.batchTooLarge(limit: maxBatchSize, requested: items.count)
        }
        documents = try items.enumerated().map { index, item in
            guard case .document(let document) = item else {
                throw DomainError.invalidRequest("documents[\(index)] must be a JSON object")
            }
            return document
        }
    }
}

extension UpdateSpec {
    /// The request's `update`, checked: a bad operator, a protected field or a bad path is 400.
    static func checked(_ update: BSONDocument, schema: CollectionSchema) throws -> UpdateSpec {
        do {
            return try UpdateSpec(update, schema: schema)
        } catch let error as UpdateError {
            throw DomainError.invalidRequest(error.message)
        }
    }
}

/// Shape checks shared by every request body: unknown keys, required arrays.
enum BodyShape {
    static func allowOnly(_ allowed: Set<String>, in body: BSONDocument) throws {
        for element in body.elements where !allowed.contains(element.key) {
            throw DomainError.invalidRequest(
                "unknown key \"\(element.key)\" in request body (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func nonEmptyArray(_ key: String, in body: BSONDocument) throws -> [BSON] {
        guard let value = body[key] else { throw DomainError.invalidRequest("\"\(key)\" is required") }
        guard case .array(let items) = value else { throw DomainError.invalidRequest("\"\(key)\" must be an array") }
        guard !items.isEmpty else { throw DomainError.invalidRequest("\"\(key)\" must not be empty") }
        return items
    }
}
