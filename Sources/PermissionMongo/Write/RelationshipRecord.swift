import NIOConcurrencyHelpers
import PMBSON

/// A stored relationship in `_pm_relationships`: `{_id, tenant_id, rel_type,
/// source: {collection, id}, target: {collection, id}, created_by, created_at}`, unique per
/// tenant, rel_type, source and target.
struct RelationshipRecord: Sendable {
    static let collection = "_pm_relationships"

    /// Source first, so that listing a document's relationships uses the same index.
    static let uniqueKeys = BSONDocument([
        "tenant_id": .int32(1), "source.collection": .int32(1), "source.id": .int32(1),
        "rel_type": .int32(1), "target.collection": .int32(1), "target.id": .int32(1),
    ])

    var relType: String
    var sourceCollection: String
    var sourceId: ObjectId
    var targetCollection: String
    var targetId: ObjectId

    /// The filter selecting this relationship of `tenantId`.
    func key(tenantId: String) -> BSONDocument {
        BSONDocument([
            "tenant_id": .string(tenantId), "source.collection": .string(sourceCollection),
            "source.id": .objectId(sourceId), "rel_type": .string(relType),
            "target.collection": .string(targetCollection), "target.id": .objectId(targetId),
        ])
    }

    func document(id: ObjectId, tenantId: String, createdBy: String, at now: BSONDate) -> BSONDocument {
        BSONDocument([
            "_id": .objectId(id),
            "tenant_id": .string(tenantId),
            "rel_type": .string(relType),
            "source": .document(BSONDocument(["collection": .string(sourceCollection), "id": .objectId(sourceId)])),
            "target": .document(BSONDocument(["collection": .string(targetCollection), "id": .objectId(targetId)])),
            "created_by": .string(createdBy),
            "created_at": .date(now),
        ])
    }

    /// A stored relationship as clients see it: `id` instead of `_id`, no `tenant_id`.
    static func view(_ stored: BSONDocument) -> BSONDocument {
        var view = BSONDocument()
        for element in stored.elements where element.key != "tenant_id" {
            view.append(element.key == "_id" ? "id" : element.key, element.value)
        }
        return view
    }
}

/// The unique index of `_pm_relationships` (tenant, source, rel_type, target), made once
/// per process before the first link is written. Not at start-up: a gateway whose clients
/// never link has no use for it. Outside any transaction: a batch that links ensures it
/// before its transaction begins.
final class RelationshipIndex: Sendable {
    static let name = "pm_relationship"
    private let ready = NIOLockedValueBox(false)

    func ensure(in store: DocumentStore) async throws {
        if ready.withLockedValue({ $0 }) { return }
        try await store.createIndex(
            on: RelationshipRecord.collection, keys: RelationshipRecord.uniqueKeys, name: Self.name, unique: true)
        ready.withLockedValue { $0 = true }
    }
}

/// `rel_type` of a relationship: a short name such as `contains` or `billed-to`.
enum RelationshipType {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 100 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "-" || $0 == "."
        }
    }
}
