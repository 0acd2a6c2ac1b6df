import PMBSON

/// `GET /{collection}/{id}` and `GET /{collection}`: tenant, read policy and soft-delete
/// conditions are applied in the database query; fields hidden by `deny_read` are removed
/// from what is returned, and may not be filtered or sorted on.
struct ReadDocuments {
    let gateway: Gateway
    let collection: CollectionConfig
    let permission: Permission
    let caller: Caller
    /// The mixed batch's transaction the reads run in, if any.
    var transaction: StoreTransaction? = nil

    func one(id text: String) async throws -> BSONDocument {
        guard let id = ObjectId(hex: text) else { throw DomainError.documentNotFound }
        let filter = scoped(BSONDocument(["_id": .objectId(id)]))
        let found = try await gateway.store.findOne(in: collection.name, filter: filter, transaction: transaction)
        guard let document = found else { throw DomainError.documentNotFound }
        return visibility.redacted(document)
    }

    struct Page {
        var documents: [BSONDocument]
        var total: Int64
    }

    func list(filter: BSONDocument, sort: BSONDocument?, skip: Int, limit: Int) async throws -> Page {
        let client = try ClientFilter(schema: collection.schema, maxRegexLength: gateway.limits.maxRegexLength)
            .read(filter, allowEmpty: true)
        let visibility = self.visibility
        try visibility.check(filter: client)
        try visibility.check(sort: sort)
        let query = scoped(client)
        // One after the other: a request holds one MongoDB connection at a time, which is
        // what `server.tenant_max_in_flight` counts on (docs/API.md, "One tenant cannot hold
        // up the others").
        let documents = try await gateway.store.find(
            in: collection.name, filter: query, sort: sort, skip: skip, limit: limit, transaction: transaction)
        let total = try await gateway.store.count(in: collection.name, filter: query, transaction: transaction)
        return Page(documents: visibility.redacted(documents), total: total)
    }

    private var visibility: ReadVisibility { gateway.visibility(caller, on: collection) }

    private func scoped(_ client: BSONDocument) -> BSONDocument {
        StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission).scoped(client)
    }
}
