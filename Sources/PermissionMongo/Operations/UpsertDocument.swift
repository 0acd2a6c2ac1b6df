import PMBSON
import PMSchema

/// `upsert` of a mixed batch: `match` (field equality, e.g. an external id) selects at
/// most one document of the tenant; none → a new document of `match` + `data`; one → `data`
/// set on it; more → 409 `conflict`. The create or update then runs as if sent alone.
struct UpsertDocument {
    let collection: CollectionConfig
    let match: BSONDocument
    let data: BSONDocument
    /// The caller's: `match` may not name a field hidden from it.
    let visibility: ReadVisibility
    /// `server.max_regex_length`, for `match`'s values.
    var maxRegexLength = ServerSettings.defaultMaxRegexLength

    enum Decision {
        case insert(BSONDocument)
        case update(ObjectId)
    }

    func decide(
        store: DocumentStore, tenantId: String, maxBatchSize: Int, transaction: StoreTransaction? = nil
    ) async throws -> Decision {
        guard !match.isEmpty else { throw DomainError.invalidRequest("upsert needs a non-empty \"match\"") }
        for element in match.elements {
            if element.key.hasPrefix("$") || element.key == "_id" || ReservedFields.names.contains(element.key) {
                throw DomainError.invalidRequest("upsert match must name document fields, not \"\(element.key)\"")
            }
            if case .document(let value) = element.value, value.elements.contains(where: { $0.key.hasPrefix("$") }) {
                throw DomainError.invalidRequest("upsert match must compare fields for equality (\(element.key))")
            }
        }
        if data.elements.contains(where: { $0.key.hasPrefix("$") }) {
            throw DomainError.invalidRequest("upsert data must be the document's fields, not update operators")
        }
        let typed = try ClientFilter(schema: collection.schema, maxRegexLength: maxRegexLength)
            .read(match, allowEmpty: false)
        try visibility.check(filter: typed, what: "match on")
        let scope = StoredSelection(
            collection: collection, tenantId: tenantId, policyFilter: nil, maxBatchSize: maxBatchSize)
        let found = try await store.find(
            in: collection.name, filter: scope.scoped(typed), sort: nil, skip: 0, limit: 2, transaction: transaction)
        switch found.count {
        case 0:
            var document = data
            for element in match.elements { document[element.key] = element.value }
            return .insert(document)
        case 1:
            guard case .objectId(let id)? = found[0]["_id"] else {
                throw DomainError.conflict("the matching document has an id the gateway cannot update")
            }
            return .update(id)
        default:
            throw DomainError.conflict("match selects more than one document; upsert needs at most one")
        }
    }
}
