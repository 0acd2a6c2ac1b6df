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
    let logger: Logger

    /// Index for the worker's query; records are kept after delivery for inspection.
    func ensureIndexes() async {
        do {
            try await store.createIndex(
                on: OutboxRecord.collection, keys: BSONDocument(["status": .int32(1), "next_attempt_at": .int32(1)]),
                name: "pm_outbox_due")
        } catch {
            logger.warning("could not create the _pm_outbox index", metadata: ["error": "\(error)"])
        }
    }

    /// Claims up to `limit` due records for `lease`; returns them with `attempts` counting this one.
    func claim(limit: Int, lease: Duration, now: BSONDate) async throws -> [OutboxRecord] {
        let query = BSONDocument([
            "status": .string(OutboxRecord.Status.pending.rawValue),
            "next_attempt_at": .document(BSONDocument(["$lte": .date(now)])),
        ]).encoded()
        let sort = BSONDocument(["next_attempt_at": .int32(1)]).encoded()
        let leaseUntil = now.adding(lease)
        let owner = owner
        return try await store.run { connection in
            var claimed: [OutboxRecord] = []
            for document in try connection.find(in: OutboxRecord.collection, filter: query, sort: sort, limit: limit) {
                guard let id = document["_id"], let dueAt = document["next_attempt_at"],
                      var record = OutboxRecord(document) else { continue }
                let filter = BSONDocument([
                    "_id": id, "status": .string(OutboxRecord.Status.pending.rawValue), "next_attempt_at": dueAt,
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
                    claimed.append(record)
                }
            }
            return claimed
        }
    }

    func markDelivered(_ record: OutboxRecord, now: BSONDate) async throws {
        try await settle(record, [
            "status": .string(OutboxRecord.Status.delivered.rawValue), "delivered_at": .date(now),
            "lease_owner": .null, "last_error": .null,
        ])
    }

    func reschedule(_ record: OutboxRecord, at due: BSONDate, error: String) async throws {
        try await settle(record, ["next_attempt_at": .date(due), "lease_owner": .null, "last_error": .string(error)])
    }

    func markDead(_ record: OutboxRecord, now: BSONDate, error: String) async throws {
        try await settle(record, [
            "status": .string(OutboxRecord.Status.dead.rawValue), "dead_at": .date(now),
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
