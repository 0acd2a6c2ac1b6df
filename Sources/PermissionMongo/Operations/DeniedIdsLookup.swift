import PMBSON

/// Sorts the requested ids a change did not select into `DeniedIds`, with one more query:
/// which of them exist in the caller's tenant (soft-deleted ones excluded, as every change
/// route treats them as gone), by chunks of `IdsIn`, asking for `_id` only. Runs in the
/// change's transaction when it has one, so that it sees what the change saw.
struct DeniedIdsLookup {
    let store: DocumentStore
    let collection: CollectionConfig
    let tenantId: String
    let transaction: StoreTransaction?

    func classify(requested: [ObjectId], matched: [BSONDocument]) async throws -> DeniedIds {
        let selected = Set(matched.compactMap { document -> ObjectId? in
            if case .objectId(let id)? = document["_id"] { id } else { nil }
        })
        let unselected = requested.filter { !selected.contains($0) }
        guard !unselected.isEmpty else { return DeniedIds() }
        let existing = try await existingIds(unselected)
        var report = DeniedIds()
        for id in unselected {
            if existing.contains(id) { report.denied.append(id) } else { report.missing.append(id) }
        }
        return report
    }

    /// Those of `ids` stored in the tenant and not soft-deleted, whatever the policy says.
    private func existingIds(_ ids: [ObjectId]) async throws -> Set<ObjectId> {
        let tenantOnly = StoredSelection(collection: collection, tenantId: tenantId, policyFilter: nil, maxBatchSize: 0)
        let queries = tenantOnly.queries(forIds: ids.map(BSON.objectId)).map { $0.encoded() }
        let projection = BSONDocument(["_id": .int32(1)]).encoded()
        let name = collection.name
        let found = try await store.run(transaction: transaction) { connection in
            try queries.flatMap { query in try connection.find(in: name, filter: query, projection: projection) }
        }
        return Set(found.compactMap { document -> ObjectId? in
            if case .objectId(let id)? = document["_id"] { id } else { nil }
        })
    }
}
