import PMBSON

/// `GET /_hooks/deliveries`: the caller's tenant's post-hook deliveries, newest first, a
/// page at a time (`after`: the last id of the previous page).
struct ListDeliveries {
    let gateway: Gateway
    let caller: Caller

    struct Page: Sendable {
        var records: [BSONDocument]
        /// The id to pass as `after` for the next page; nil on the last one.
        var next: ObjectId?
    }

    /// `limit` (1 to `max_batch_size`, default 50) and `after` (an id) of the query string.
    static func paging(_ query: [String: String], maxLimit: Int) throws -> (after: ObjectId?, limit: Int) {
        var limit = 50
        if let text = query["limit"] {
            guard let value = Int(text), (1...maxLimit).contains(value) else {
                throw DomainError.invalidRequest("limit must be an integer from 1 to \(maxLimit)")
            }
            limit = value
        }
        guard let text = query["after"], !text.isEmpty else { return (nil, min(limit, maxLimit)) }
        guard let after = ObjectId(hex: text) else { throw DomainError.invalidRequest("after must be a delivery id (24 hex digits)") }
        return (after, min(limit, maxLimit))
    }

    func page(_ filter: DeliveryFilter, after: ObjectId?, limit: Int) async throws -> Page {
        var query = filter.query(tenantId: caller.tenantId)
        if let after { query.append("_id", .document(BSONDocument(["$lt": .objectId(after)]))) }
        let found = try await gateway.store.find(
            in: OutboxRecord.collection, filter: query, sort: BSONDocument(["_id": .int32(-1)]), skip: 0,
            limit: limit + 1)
        let records = found.prefix(limit).map(Self.shown)
        let next = found.count > limit ? records.last.flatMap { record -> ObjectId? in
            if case .objectId(let id)? = record["_id"] { id } else { nil }
        } : nil
        return Page(records: Array(records), next: next)
    }

    /// A record as a client sees it: as stored, with a password in the endpoint URL masked.
    static func shown(_ record: BSONDocument) -> BSONDocument {
        var shown = record
        if case .string(let url)? = record["url"] { shown["url"] = .string(HookURL.masked(url)) }
        return shown
    }
}
