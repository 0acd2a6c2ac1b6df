import PMBSON

/// `GET /{collection}/{id}/relationships?rel_type=&direction=out|in|both`: the
/// relationships of a document the caller may read, newest first. A relationship is only
/// shown when its other end is readable too: the ids of documents the caller cannot
/// read never appear.
struct ReadRelationships {
    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller

    enum Direction: String, CaseIterable {
        case out, `in`, both
    }

    func list(id text: String, relType: String?, direction: Direction) async throws -> [BSONDocument] {
        let permission = try gateway.permission(caller, .read, on: collection)
        guard let id = ObjectId(hex: text) else { throw DomainError.documentNotFound }
        let selection = StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission)
        guard try await selection.contains(id, in: gateway.store) else { throw DomainError.documentNotFound }

        var sides: [(mine: String, other: String)] = []
        if direction != .in { sides.append(("source", "target")) }
        if direction != .out { sides.append(("target", "source")) }
        var found: [(record: BSONDocument, other: (collection: String, id: BSON))] = []
        for side in sides {
            var filter = BSONDocument([
                "tenant_id": .string(caller.tenantId), side.mine + ".collection": .string(collection.name),
                side.mine + ".id": .objectId(id),
            ])
            if let relType { filter.append("rel_type", .string(relType)) }
            let records = try await gateway.store.find(
                in: RelationshipRecord.collection, filter: filter, sort: BSONDocument(["_id": .int32(-1)]),
                skip: 0, limit: gateway.limits.maxBatchSize)
            for record in records {
                guard case .document(let other)? = record[side.other], case .string(let name)? = other["collection"],
                      let otherId = other["id"] else { continue }
                found.append((record, (name, otherId)))
            }
        }
        let readable = try await readableEnds(found.map(\.other))
        return found.filter { readable.contains(ReadableEnd(collection: $0.other.collection, id: DocumentKey($0.other.id))) }
            .map { RelationshipRecord.view($0.record) }
    }

    private struct ReadableEnd: Hashable {
        var collection: String
        var id: DocumentKey
    }

    /// Which of `ends` the caller may read, asked once per collection.
    private func readableEnds(_ ends: [(collection: String, id: BSON)]) async throws -> Set<ReadableEnd> {
        var readable = Set<ReadableEnd>()
        for name in Set(ends.map(\.collection)) {
            guard let other = gateway.config.collections[name],
                  let permission = try? gateway.permission(caller, .read, on: other) else { continue }
            let selection = StoredSelection(gateway: gateway, collection: other, caller: caller, permission: permission)
            let ids = ends.filter { $0.collection == name }.map(\.id)
            for query in selection.queries(forIds: ids) {
                for document in try await gateway.store.find(in: name, filter: query, sort: nil, skip: 0, limit: 0) {
                    if let id = document["_id"] { readable.insert(ReadableEnd(collection: name, id: DocumentKey(id))) }
                }
            }
        }
        return readable
    }
}
