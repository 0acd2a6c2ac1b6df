import PMBSON

/// `GET /{collection}/{id}/versions`: newest first, under tenancy and the read
/// policy — checked on the document, or on its last saved state when it was removed —
/// without the fields `deny_read` hides (`VersionRedaction`).
struct ReadVersions {
    let gateway: Gateway
    let collection: CollectionConfig
    let permission: Permission
    let caller: Caller

    func list(id: ObjectId) async throws -> [BSONDocument] {
        let history = VersionHistory(store: gateway.store, collection: collection.name, tenantId: caller.tenantId)
        let selection = StoredSelection(
            gateway: gateway, collection: collection, caller: caller, permission: permission, includeDeleted: true)
        let visible = try await gateway.store.findOne(
            in: collection.name, filter: selection.queries(forIds: [.objectId(id)])[0])
        let versions = try await history.versions(of: id)
        if visible == nil {
            let exists = try await gateway.store.findOne(
                in: collection.name,
                filter: BSONDocument(["_id": .objectId(id), "tenant_id": .string(caller.tenantId)]))
            guard exists == nil, case .document(let last)? = versions.first?["data"], permission.allows(last) else {
                throw DomainError.documentNotFound
            }
        }
        return gateway.visibility(caller, on: collection).redacted(versions: versions, current: visible)
    }
}
