import Logging
import PMBSON

/// `_pm_outbox` in MongoDB: claim due deliveries, then mark each delivered, due again
/// later, or dead. A claim is a compare-and-set on `next_attempt_at` (the value read must
/// still be there), which also moves it to the lease expiry: a second gateway process
/// cannot claim the same record until the lease ran out (say, the first one died).
struct Outbox: Sendable {
    let store: DocumentStore
    /// Identifies this gateway process in `lease_owner`.
    let owner: String
    /// Delivered and dead records are removed this many days after they settled.
    let retentionDays: Int
    let logger: Logger

    /// The worker's indexes, the listing's, and the TTL index that removes settled records.
    func ensureIndexes() async {
        let indexes: [(name: String, keys: BSONDocument, expireAfterSeconds: Int?)] = [
            ("pm_outbox_due", BSONDocument(["status": .int32(1), "next_attempt_at": .int32(1)]), nil),
            (
                "pm_outbox_due_by_url",
                BSONDocument(["status": .int32(1), "url": .int32(1), "next_attempt_at": .int32(1)]), nil
            ),
            ("pm_outbox_tenant", BSONDocument(["tenant_id": .int32(1), "_id": .int32(-1)]), nil),
            ("pm_outbox_retention", BSONDocument(["settled_at": .int32(1)]), retentionDays * 86_400),
        ]
        for index in indexes {
            do {
                try await store.createIndex(
                    on: OutboxRecord.collection, keys: index.keys, name: index.name,
                    expireAfterSeconds: index.expireAfterSeconds)
            } catch {
                logger.warning(
                    "could not create an index of _pm_outbox", metadata: ["index": "\(index.name)", "error": "\(error)"])
            }
        }
    }

    /// A record claimed for delivery, with the ticket `lanes` gave it.
    typealias Claim = (record: OutboxRecord, ticket: DeliveryLanes.Ticket)

    /// Claims due records for `lease` while `lanes` lets their deliveries start: for each
    /// configured endpoint with room, its oldest due records (records of full or open
    /// endpoints are not read and stay pending, their attempts untouched); with
    /// `unconfigured`, also records of endpoints no longer configured. Returns them with
    /// `attempts` counting this one, and the circuits that changed on the way.
    func claim(
        lanes: DeliveryLanes, lease: Duration, unconfigured: Bool
    ) async throws -> (claims: [Claim], changes: [(String, CircuitBreaker.Change)]) {
        let owner = owner
        return try await store.run { connection in
            let now = BSONDate.now()
            let clock = ContinuousClock.now
            let leaseUntil = now.adding(lease)
            let sort = BSONDocument(["next_attempt_at": .int32(1)]).encoded()
            var claims: [Claim] = []
            var changes: [(String, CircuitBreaker.Change)] = []
            func take(_ endpoint: BSON, limit: Int) throws {
                let query = BSONDocument([
                    "status": .string(OutboxRecord.Status.pending.rawValue), "url": endpoint,
                    "next_attempt_at": .document(BSONDocument(["$lte": .date(now)])),
                ])
                for document in try connection.find(in: OutboxRecord.collection, filter: query.encoded(), sort: sort, limit: limit) {
                    guard let dueAt = document["next_attempt_at"], var record = OutboxRecord(document),
                          let admitted = lanes.admit(record.endpointURL, now: clock) else { continue }
                    if let change = admitted.change { changes.append((record.endpointURL, change)) }
                    let filter = BSONDocument([
                        "_id": .objectId(record.id), "status": .string(OutboxRecord.Status.pending.rawValue),
                        "next_attempt_at": dueAt,
                    ])
                    let update = BSONDocument([
                        "$set": .document(BSONDocument([
                            "next_attempt_at": .date(leaseUntil), "lease_owner": .string(owner),
                        ])),
                        "$inc": .document(BSONDocument(["attempts": .int32(1)])),
                    ])
                    let outcome = try connection.updateOne(
                        in: OutboxRecord.collection, filter: filter.encoded(), update: update.encoded())
                    if outcome.matchedCount == 1 {
                        record.attempts += 1
                        claims.append((record, admitted.ticket))
                    } else {
                        _ = lanes.finish(admitted.ticket, succeeded: nil, now: clock)
                    }
                }
            }
            for url in lanes.inTurn() {
                let room = lanes.room(url, now: clock)
                if room > 0 { try take(.string(url), limit: room) }
            }
            if unconfigured, lanes.free > 0 {
                try take(.document(BSONDocument(["$nin": .array(lanes.urls.map(BSON.string))])), limit: lanes.free)
            }
            return (claims, changes)
        }
    }

    func markDelivered(_ record: OutboxRecord, now: BSONDate) async throws {
        try await settle(record, [
            "status": .string(OutboxRecord.Status.delivered.rawValue), "delivered_at": .date(now),
            "settled_at": .date(now), "lease_owner": .null, "last_error": .null,
        ])
    }

    func reschedule(_ record: OutboxRecord, at due: BSONDate, error: String) async throws {
        try await settle(record, ["next_attempt_at": .date(due), "lease_owner": .null, "last_error": .string(error)])
    }

    func markDead(_ record: OutboxRecord, now: BSONDate, error: String) async throws {
        try await settle(record, [
            "status": .string(OutboxRecord.Status.dead.rawValue), "dead_at": .date(now), "settled_at": .date(now),
            "lease_owner": .null, "last_error": .string(error),
        ])
    }

    /// Deliveries not yet delivered or given up.
    func pendingCount() async throws -> Int {
        let filter = BSONDocument(["status": .string(OutboxRecord.Status.pending.rawValue)])
        return Int(try await store.count(in: OutboxRecord.collection, filter: filter))
    }

    /// Only while this process still holds the lease (it may have expired and been taken).
    private func settle(_ record: OutboxRecord, _ fields: KeyValuePairs<String, BSON>) async throws {
        let filter = BSONDocument(["_id": .objectId(record.id), "lease_owner": .string(owner)]).encoded()
        let update = BSONDocument(["$set": .document(BSONDocument(fields))]).encoded()
        _ = try await store.run { connection in
            try connection.updateOne(in: OutboxRecord.collection, filter: filter, update: update)
        }
    }
}
