import PMBSON

/// One pending post-hook delivery in `_pm_outbox`: one record per written document and
/// endpoint, inserted with the write (in its transaction when atomic).
///
///     { _id: ObjectId            — the event id (`X-PM-Event-Id`), stable across retries
///       event: "post_create", collection: "products", tenant_id: "...", doc_id: <_id>,
///       url: "http://...", method: "POST"   — which configured endpoint
///       payload: { ...the envelope... }     — the JSON body, as BSON
///       status: "pending" | "delivered" | "dead",
///       attempts: 0,                        — attempts started so far
///       next_attempt_at: date,              — due time, or the lease expiry while claimed
///       lease_owner: null | "<worker id>",  — who claimed it
///       last_error: null | "status 503",
///       created_at: date, delivered_at / dead_at: date }
struct OutboxRecord: Sendable {
    static let collection = "_pm_outbox"

    enum Status: String {
        case pending, delivered, dead
    }

    var id: ObjectId
    var event: HookEvent
    var collection: String
    var endpointURL: String
    var endpointMethod: String
    var payload: BSONDocument
    /// Attempts started so far, this one included once claimed.
    var attempts: Int

    /// A new pending record for `endpoint`, due now.
    static func make(
        event: HookEvent, collection: String, tenantId: String, docId: BSON, endpoint: HookEndpoint,
        payload: BSONDocument, now: BSONDate
    ) -> BSONDocument {
        BSONDocument([
            "_id": .objectId(ObjectId.generate()),
            "event": .string(event.rawValue),
            "collection": .string(collection),
            "tenant_id": .string(tenantId),
            "doc_id": docId,
            "url": .string(endpoint.url),
            "method": .string(endpoint.method),
            "payload": .document(payload),
            "status": .string(Status.pending.rawValue),
            "attempts": .int32(0),
            "next_attempt_at": .date(now),
            "lease_owner": .null,
            "last_error": .null,
            "created_at": .date(now),
        ])
    }

    /// Reads a stored record; nil when it is not one the worker can deliver.
    init?(_ document: BSONDocument) {
        guard case .objectId(let id)? = document["_id"],
              case .string(let eventName)? = document["event"], let event = HookEvent(rawValue: eventName),
              case .string(let collection)? = document["collection"],
              case .string(let url)? = document["url"],
              case .string(let method)? = document["method"],
              case .document(let payload)? = document["payload"] else { return nil }
        self.id = id
        self.event = event
        self.collection = collection
        self.endpointURL = url
        self.endpointMethod = method
        self.payload = payload
        switch document["attempts"] {
        case .int32(let n)?: attempts = Int(n)
        case .int64(let n)?: attempts = Int(n)
        case .double(let n)?: attempts = Int(n)
        default: attempts = 0
        }
    }
}
