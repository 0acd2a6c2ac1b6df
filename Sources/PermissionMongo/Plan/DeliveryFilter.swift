import PMBSON

/// Which post-hook deliveries a `/_hooks` request means (docs/API.md, "Inspecting and
/// replaying deliveries"): by `status`, `collection`, `event`, and `since` (recorded at or
/// after that ISO-8601 time), always within the caller's tenant.
struct DeliveryFilter: Sendable, Equatable {
    var status: OutboxRecord.Status?
    var collection: String?
    var event: HookEvent?
    var since: BSONDate?

    static let keys = ["status", "collection", "event", "since"]

    /// From the query string of `GET /_hooks/deliveries`.
    init(query: [String: String]) throws {
        if let text = query["status"], !text.isEmpty { status = try Self.status(text) }
        if let text = query["collection"], !text.isEmpty { collection = text }
        if let text = query["event"], !text.isEmpty { event = try Self.event(text) }
        if let text = query["since"], !text.isEmpty { since = try Self.date(text) }
    }

    /// From the body of `POST /_hooks/deliveries/retry`: `status` defaults to `dead`, and
    /// pending deliveries cannot be replayed.
    init(body: BSONDocument) throws {
        for key in body.keys where !Self.keys.contains(key) {
            throw DomainError.invalidRequest("unknown key \"\(key)\" (expected one of: \(Self.keys.joined(separator: ", ")))")
        }
        status = .dead
        if let value = body["status"] { status = try Self.status(Self.text(value, "status")) }
        if status == .pending { throw DomainError.invalidRequest("status must be dead or delivered: pending deliveries are due already") }
        if let value = body["collection"] { collection = try Self.text(value, "collection") }
        if let value = body["event"] { event = try Self.event(Self.text(value, "event")) }
        if let value = body["since"] { since = try Self.date(Self.text(value, "since")) }
    }

    /// The MongoDB filter on `_pm_outbox`.
    func query(tenantId: String) -> BSONDocument {
        var query = BSONDocument(["tenant_id": .string(tenantId)])
        if let status { query.append("status", .string(status.rawValue)) }
        if let collection { query.append("collection", .string(collection)) }
        if let event { query.append("event", .string(event.rawValue)) }
        if let since { query.append("created_at", .document(BSONDocument(["$gte": .date(since)]))) }
        return query
    }

    private static func text(_ value: BSON, _ key: String) throws -> String {
        guard case .string(let text) = value, !text.isEmpty else {
            throw DomainError.invalidRequest("\(key) must be a non-empty string")
        }
        return text
    }

    private static func status(_ text: String) throws -> OutboxRecord.Status {
        guard let status = OutboxRecord.Status(rawValue: text) else {
            throw DomainError.invalidRequest("status must be one of pending, delivered, dead")
        }
        return status
    }

    private static func event(_ text: String) throws -> HookEvent {
        guard let event = HookEvent(rawValue: text), !event.isPre else {
            throw DomainError.invalidRequest("event must be one of post_create, post_update, post_delete")
        }
        return event
    }

    private static func date(_ text: String) throws -> BSONDate {
        guard let date = BSONDate(iso8601: text) else {
            throw DomainError.invalidRequest("since must be an ISO-8601 date")
        }
        return date
    }
}
