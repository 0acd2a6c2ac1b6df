import PMBSON
import PMSchema

/// Builds the stored form of a client's new document: server-set `_id`,
/// `tenant_id`, `created_by`, `created_at`, `updated_at` first, then the client's
/// fields with any value for a reserved field dropped.
enum NewDocument {
    static func make(from input: BSONDocument, id: ObjectId, caller: Caller, now: BSONDate) -> BSONDocument {
        var elements: [BSONDocument.Element] = []
        elements.reserveCapacity(input.count + 5)
        elements.append(.init(key: "_id", value: .objectId(id)))
        elements.append(.init(key: "tenant_id", value: .string(caller.tenantId)))
        elements.append(.init(key: "created_by", value: .string(caller.id)))
        elements.append(.init(key: "created_at", value: .date(now)))
        elements.append(.init(key: "updated_at", value: .date(now)))
        for element in input.elements where !ReservedFields.names.contains(element.key) {
            elements.append(element)
        }
        return BSONDocument(elements: elements)
    }
}

/// A document that passed schema and policy and is ready to be written, with its
/// position in the request.
struct PreparedDocument: Sendable {
    var index: Int
    var id: ObjectId
    var document: BSONDocument
}
