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
