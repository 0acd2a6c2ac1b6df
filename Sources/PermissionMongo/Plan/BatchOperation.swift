import PMBSON

/// One operation of a mixed batch, checked for shape before any work.
enum BatchOperation: Sendable {
    case create(collection: String, data: BSONDocument)
    case update(collection: String, id: IdReference, data: BSONDocument)
    case upsert(collection: String, match: BSONDocument, data: BSONDocument)
    case delete(collection: String, id: IdReference)
    case get(collection: String, id: IdReference)
    case list(collection: String, query: ListQuery)
    case link(RelationshipSpec)
    case unlink(RelationshipSpec)

    static let names = ["create", "update", "upsert", "delete", "get", "list", "link", "unlink"]

    var isLink: Bool {
        if case .link = self { true } else { false }
    }
}

/// An id where the operation expects one: as sent, or `{"$ref": n}` — the id created or
/// matched by operation n of the same batch.
enum IdReference: Sendable, Equatable {
    case literal(String)
    case ref(Int)
}

/// `{"collection": ..., "id": ...}`: one end of a relationship.
struct DocumentReference: Sendable {
    var collection: String
    var id: IdReference
}

/// `link` / `unlink`: a typed relationship from a source document to a target document.
struct RelationshipSpec: Sendable {
    var relType: String
    var source: DocumentReference
    var target: DocumentReference
}
