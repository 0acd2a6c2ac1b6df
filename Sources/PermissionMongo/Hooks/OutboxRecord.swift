import PMBSON

/// One post-hook delivery in `_pm_outbox`: one record per written document and
/// document-mode endpoint, or one per batch-mode endpoint (and `max_documents` part) for
/// all documents a request wrote; inserted with the write, in its transaction.
///
///     { _id: ObjectId            — the event id (`X-PM-Event-Id`), stable across retries
///       event: "post_create", collection: "products", tenant_id: "...",
///       doc_id: <_id>  or  doc_ids: [<_id>, ...]   — document or batch mode
///       url: "http://...", method: "POST"   — which configured endpoint
///       payload: { ...the envelope... }     — the JSON body, as BSON
///       status: "pending" | "delivered" | "dead",
///       attempts: 0,                        — attempts started so far
///       next_attempt_at: date,              — due time, or the lease expiry while claimed
///       lease_owner: null | "<worker id>",  — who claimed it
///       last_error: null | "status 503",
///       created_at: date, delivered_at / dead_at: date,
///       settled_at: date }                  — when it became delivered or dead (retention)
struct OutboxRecord: Sendable {
    static let collection = "_pm_outbox"

    enum Status: String, CaseIterable {
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
    /// When the write recorded it.
    var createdAt: BSONDate?

    /// A new pending record of one document for `endpoint`, due now.
    static func make(
        event: HookEvent, collection: String, tenantId: String, docId: BSON, endpoint: HookEndpoint,
        payload: BSONDocument, now: BSONDate
    ) -> BSONDocument {
        make(event, collection, tenantId, subject: ("doc_id", docId), endpoint, payload, now)
    }

    /// A new pending record of several documents for a batch-mode `endpoint`, due now.
    static func make(
        event: HookEvent, collection: String, tenantId: String, docIds: [BSON], endpoint: HookEndpoint,
        payload: BSONDocument, now: BSONDate
    ) -> BSONDocument {
        make(event, collection, tenantId, subject: ("doc_ids", .array(docIds)), endpoint, payload, now)
    }

    private static func make(
        _ event: HookEvent, _ collection: String, _ tenantId: String, subject: (key: String, value: BSON),
        _ endpoint: HookEndpoint, _ payload: BSONDocument, _ now: BSONDate
    ) -> BSONDocument {
        var record = BSONDocument([
            "_id": .objectId(ObjectId.generate()),
            "event": .string(event.rawValue),
            "collection": .string(collection),
            "tenant_id": .string(tenantId),
        ])
        record.append(subject.key, subject.value)
        for (key, value) in [
            ("url", BSON.string(endpoint.url)), ("method", .string(endpoint.method)), ("payload", .document(payload)),
            ("status", .string(Status.pending.rawValue)), ("attempts", .int32(0)), ("next_attempt_at", .date(now)),
            ("lease_owner", .null), ("last_error", .null), ("created_at", .date(now)),
        ] {
            record.append(key, value)
        }
        return record
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
        attempts = document["attempts"]?.int64Value.map(Int.init) ?? 0
        if case .date(let created)? = document["created_at"] { createdAt = created }
    }
}
