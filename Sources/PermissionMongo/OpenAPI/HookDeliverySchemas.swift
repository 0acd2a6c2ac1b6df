import PMBSON

/// The `/_hooks` routes' records, pages and replay filter as `components.schemas` (docs/API.md,
/// "Inspecting and replaying deliveries").
enum HookDeliverySchemas {
    static let delivery = "HookDelivery"
    static let page = "HookDeliveryPage"
    static let replayFilter = "HookReplayFilter"
    static let replayed = "HookReplayCount"

    private typealias S = JSONSchemaValues

    static let events = ["post_create", "post_update", "post_delete"]

    static var components: BSONDocument {
        let id = S.ref(SharedSchemas.objectId)
        let record = S.object(
            ["_id": id, "event": S.oneOf(events), "collection": S.string(), "tenant_id": S.string(),
             "doc_id": id, "doc_ids": S.array(id), "url": S.string("A password in it is shown as ***."),
             "method": S.oneOf(["POST", "PUT", "PATCH"]), "payload": S.anyObject("The body sent."),
             "status": S.oneOf(["pending", "delivered", "dead"]), "attempts": S.integer(minimum: 0),
             "next_attempt_at": S.dateTime, "lease_owner": S.nullable(S.string()), "last_error": S.nullable(S.string()),
             "created_at": S.dateTime, "delivered_at": S.dateTime, "dead_at": S.dateTime, "settled_at": S.dateTime],
            required: ["_id", "event", "collection", "tenant_id", "url", "method", "payload", "status", "attempts"],
            open: true,
            description: "A post-hook delivery of the caller's tenant, as stored in _pm_outbox.")
        return [
            delivery: record,
            page: S.object(
                ["data": S.array(S.ref(delivery)), "next": S.nullable(id)], required: ["data", "next"],
                description: "Newest first; `next` is the `after` of the next page, null on the last."),
            replayFilter: S.object(
                ["status": S.oneOf(["dead", "delivered"]), "collection": S.string(), "event": S.oneOf(events),
                 "since": S.dateTime],
                description: "Which deliveries to replay; every key optional, status dead by default."),
            replayed: S.object(["scheduled": S.integer(minimum: 0)], required: ["scheduled"]),
        ]
    }
}
