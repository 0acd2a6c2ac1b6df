import PMBSON

/// `link` / `unlink` of a mixed batch: a relationship from a source document to a target
/// document, stored in `_pm_relationships`. Linking needs `update` on the source and `read`
/// on the target, unlinking `update` on the source; each end must be visible to the caller
/// under those policies in its tenant (else not found), so another tenant's documents can
/// never be linked.
struct LinkDocuments {
    let gateway: Gateway
    let caller: Caller
    /// The mixed batch's transaction, if any.
    var transaction: StoreTransaction? = nil

    struct Ends {
        var relType: String
        var source: (collection: String, id: ObjectId)
        var target: (collection: String, id: ObjectId)
    }

    /// The relationship's id, and whether it is new (an existing one is left as it is).
    func link(_ ends: Ends) async throws -> (id: ObjectId, created: Bool) {
        let record = try await checked(ends, targetAction: .read)
        let key = record.key(tenantId: caller.tenantId)
        if let existing = try await existingId(key) { return (existing, false) }
        try await gateway.relationshipIndex.ensure(in: gateway.store)
        let id = ObjectId.generate()
        let document = record.document(id: id, tenantId: caller.tenantId, createdBy: caller.id, at: .now())
        let failures = try await gateway.store.insertEach(
            [PreparedDocument(index: 0, id: id, document: document)], into: RelationshipRecord.collection,
            transaction: transaction)
        if let failure = failures[0] {
            // Linked by a concurrent request in between: the same relationship exists now.
            if failure.code == .duplicateKey, let existing = try await existingId(key) { return (existing, false) }
            throw failure
        }
        return (id, true)
    }

    func unlink(_ ends: Ends) async throws {
        let record = try await checked(ends, targetAction: nil)
        let removed = try await gateway.store.deleteOne(
            in: RelationshipRecord.collection, filter: record.key(tenantId: caller.tenantId), transaction: transaction)
        guard removed > 0 else { throw DomainError.notFound("no such relationship") }
    }

    private func checked(_ ends: Ends, targetAction: Action?) async throws -> RelationshipRecord {
        let source = try gateway.collection(named: ends.source.collection)
        let target = try gateway.collection(named: ends.target.collection)
        let sourceId = ends.source.id, targetId = ends.target.id
        guard try await isVisible(sourceId, in: source, for: .update) else { throw notFound("source") }
        if let targetAction {
            guard try await isVisible(targetId, in: target, for: targetAction) else { throw notFound("target") }
        }
        return RelationshipRecord(
            relType: ends.relType, sourceCollection: source.name, sourceId: sourceId,
            targetCollection: target.name, targetId: targetId)
    }

    private func isVisible(_ id: ObjectId, in collection: CollectionConfig, for action: Action) async throws -> Bool {
        let permission = try gateway.permission(caller, action, on: collection)
        let selection = StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission)
        return try await selection.contains(id, in: gateway.store, transaction: transaction)
    }

    private func existingId(_ key: BSONDocument) async throws -> ObjectId? {
        let existing = try await gateway.store.findOne(
            in: RelationshipRecord.collection, filter: key, transaction: transaction)
        guard case .objectId(let id)? = existing?["_id"] else { return nil }
        return id
    }

    private func notFound(_ end: String) -> DomainError {
        .notFound("\(end) document not found")
    }
}
