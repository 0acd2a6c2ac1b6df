import PMBSON
import PMSchema

/// Which stored documents an update or delete means: `ids` or `filter`,
/// exactly one of them.
enum DocumentTarget: Sendable {
    case ids([ObjectId])
    case filter(BSONDocument)

    init(body: BSONDocument, maxBatchSize: Int) throws {
        let ids = body["ids"]
        let filter = body["filter"]
        switch (ids, filter) {
        case (.some, .some):
            throw DomainError.invalidRequest("give either \"ids\" or \"filter\", not both")
        case (nil, nil):
            throw DomainError.invalidRequest("\"ids\" or \"filter\" is required")
        case (.some, nil):
            let items = try BodyShape.nonEmptyArray("ids", in: body)
            guard items.count <= maxBatchSize else {
                throw DomainError.batchTooLarge(limit: maxBatchSize, requested: items.count)
            }
            var seen = Set<ObjectId>()
            var parsed: [ObjectId] = []
            parsed.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item, let id = ObjectId(hex: text) else {
                    throw DomainError.invalidRequest("ids[\(index)] is not a document id (24 hex digits)")
                }
                if seen.insert(id).inserted { parsed.append(id) }
            }
            self = .ids(parsed)
        case (nil, .some(let value)):
            guard case .document(let document) = value else {
                throw DomainError.invalidRequest("\"filter\" must be an object")
            }
            self = .filter(document)
        }
    }

    /// The target with its filter checked against the allowlist and typed by the schema.
    func checked(against schema: CollectionSchema, maxRegexLength: Int) throws -> DocumentTarget {
        guard case .filter(let filter) = self else { return self }
        let client = ClientFilter(schema: schema, maxRegexLength: maxRegexLength)
        return .filter(try client.read(filter, allowEmpty: false))
    }
}
