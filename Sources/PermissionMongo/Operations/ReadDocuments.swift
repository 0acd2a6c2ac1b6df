import PMBSON

/// `GET /{collection}/{id}` and `GET /{collection}` (§6): tenant, read policy and
/// soft-delete conditions are applied in the database query.
struct ReadDocuments {
    let gateway: Gateway
    let collection: CollectionConfig
    let permission: Permission
    let caller: Caller

    func one(id text: String) async throws -> BSONDocument {
        guard let id = ObjectId(hex: text) else { throw notFound }
        let filter = scoped(BSONDocument(["_id": .objectId(id)]))
        guard let document = try await gateway.store.findOne(in: collection.name, filter: filter) else {
            throw notFound
        }
        return document
    }

    struct Page {
        var documents: [BSONDocument]
        var total: Int64
    }

    func list(filter: BSONDocument, sort: BSONDocument?, skip: Int, limit: Int) async throws -> Page {
        let client = try ClientFilter(schema: collection.schema).read(filter, allowEmpty: true)
        let query = scoped(client)
        async let documents = gateway.store.find(in: collection.name, filter: query, sort: sort, skip: skip, limit: limit)
        async let total = gateway.store.count(in: collection.name, filter: query)
        return try await Page(documents: documents, total: total)
    }

    private func scoped(_ client: BSONDocument) -> BSONDocument {
        StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission).scoped(client)
    }

    private var notFound: GatewayError { GatewayError(.notFound, "document not found") }
}
