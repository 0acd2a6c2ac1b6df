import PMBSON

/// The stored documents an update, delete or version read may touch: the target (ids or
/// a client filter) with the caller's tenant, the policy's condition and the soft-delete
/// marker `$and`-ed on top.
struct StoredSelection: Sendable {
    let collection: CollectionConfig
    let tenantId: String
    let policyFilter: BSONDocument?
    /// A change by filter outside a transaction is written in chunks of this many documents.
    let maxBatchSize: Int
    /// Most documents a filter may select for one transaction.
    var maxAtomicMatch = ServerSettings.defaultMaxAtomicMatch
    /// Restore and version reads also reach soft-deleted documents.
    var includeDeleted = false

    init(
        collection: CollectionConfig, tenantId: String, policyFilter: BSONDocument?, maxBatchSize: Int,
        includeDeleted: Bool = false
    ) {
        self.collection = collection
        self.tenantId = tenantId
        self.policyFilter = policyFilter
        self.maxBatchSize = maxBatchSize
        self.includeDeleted = includeDeleted
    }

    /// What `permission` lets `caller` reach in `collection`.
    init(gateway: Gateway, collection: CollectionConfig, caller: Caller, permission: Permission, includeDeleted: Bool = false) {
        self.init(
            collection: collection, tenantId: caller.tenantId, policyFilter: permission.filter,
            maxBatchSize: gateway.limits.maxBatchSize, includeDeleted: includeDeleted)
        maxAtomicMatch = gateway.limits.maxAtomicMatch
    }

    /// One query per chunk of ids (`IdsIn`), or the filter (already checked by
    /// `DocumentTarget.checked(against:)`).
    func queries(for target: DocumentTarget) -> [BSONDocument] {
        switch target {
        case .ids(let ids): queries(forIds: ids.map(BSON.objectId))
        case .filter(let filter): [scoped(filter)]
        }
    }

    /// The same scope over documents already chosen by id, for re-reading them in a transaction.
    func queries(forIds ids: [BSON]) -> [BSONDocument] {
        IdsIn.conditions(ids).map { scoped(BSONDocument(["_id": $0])) }
    }

    /// Loads the selected documents, for one transaction; a filter that matches more than
    /// `max_atomic_match` documents is refused with `details.matched` before anything is read.
    func load(
        _ target: DocumentTarget, from store: DocumentStore, transaction: StoreTransaction? = nil
    ) async throws -> [BSONDocument] {
        let queries = queries(for: target)
        if case .filter = target, let query = queries.first {
            try checkOneTransaction(holds: Int(try await store.count(in: collection.name, filter: query, transaction: transaction)))
        }
        var documents: [BSONDocument] = []
        for query in queries {
            documents += try await store.find(
                in: collection.name, filter: query, sort: nil, skip: 0, limit: 0, transaction: transaction)
        }
        return documents
    }

    /// A filter that selects more than `max_atomic_match` documents for one transaction is
    /// refused (400 with `details.matched`) before anything is read.
    func checkOneTransaction(holds matched: Int) throws {
        guard matched > maxAtomicMatch else { return }
        throw DomainError.invalidRequest(
            "filter matches \(matched) documents, more than one transaction may change (max_atomic_match: \(maxAtomicMatch))",
            details: BSONDocument(["max_atomic_match": .int64(Int64(maxAtomicMatch)), "matched": .int64(Int64(matched))]))
    }

    /// How many documents `filter` selects now.
    func count(_ filter: BSONDocument, in store: DocumentStore) async throws -> Int {
        Int(try await store.count(in: collection.name, filter: scoped(filter)))
    }

    /// The next `max_batch_size` documents `filter` selects, in `_id` order, after `last`.
    func chunk(of filter: BSONDocument, after last: BSON?, from store: DocumentStore) async throws -> [BSONDocument] {
        try await store.find(
            in: collection.name, filter: chunkQuery(of: filter, after: last), sort: Self.idOrder, skip: 0,
            limit: maxBatchSize)
    }

    /// What `filter` selects after `last` (from the start when nil), to be read in `idOrder`.
    func chunkQuery(of filter: BSONDocument, after last: BSON?) -> BSONDocument {
        // `_id > last` as a conjunct of the client's filter: `ScopedFilter` writes it flat,
        // where a planner can use the `_id` index for it.
        let after = last.map { BSONDocument(["_id": .document(BSONDocument(["$gt": $0]))]) }
        return scoped(after.map { BSONDocument(["$and": .array([.document(filter), .document($0)])]) } ?? filter)
    }

    static let idOrder = BSONDocument(["_id": .int32(1)])

    /// Whether the document with `id` is within this selection.
    func contains(_ id: ObjectId, in store: DocumentStore, transaction: StoreTransaction? = nil) async throws -> Bool {
        let query = queries(forIds: [.objectId(id)])[0]
        return try await store.count(in: collection.name, filter: query, transaction: transaction) > 0
    }

    /// `target` within the tenant, the policy and (unless included) not soft-deleted.
    func scoped(_ target: BSONDocument) -> BSONDocument {
        ScopedFilter.make(
            tenantId: tenantId, policy: policyFilter, hideDeleted: collection.softDelete && !includeDeleted, client: target)
    }
}
