import PMBSON
import PMMongo

/// `POST /_hooks/deliveries/{id}/retry` and `POST /_hooks/deliveries/retry`: delivered or
/// dead deliveries of the caller's tenant are due again now, their attempts reset, and
/// the worker woken. A pending delivery is due already (409 for one asked by id).
struct ReplayDeliveries {
    let gateway: Gateway
    let caller: Caller

    /// The delivery `id`, as the replay left it: the update and the read are one transaction,
    /// so the worker claiming it at once does not show in the answer.
    func one(id text: String) async throws -> BSONDocument {
        let notFound = DomainError.notFound("delivery not found")
        guard let id = ObjectId(hex: text) else { throw notFound }
        let own = BSONDocument(["_id": .objectId(id), "tenant_id": .string(caller.tenantId)])
        var settled = own
        settled.append("status", .document(BSONDocument(["$in": .array(Self.replayable.map { .string($0.rawValue) })])))
        let filter = settled.encoded(), update = Self.due(now: .now()).encoded()
        let record = try await gateway.store.transaction { transaction -> TransactionEnd<BSONDocument> in
            let matched = try await gateway.store.run(transaction: transaction) { connection in
                try connection.updateMany(in: OutboxRecord.collection, filter: filter, update: update).matchedCount
            }
            guard let record = try await gateway.store.findOne(in: OutboxRecord.collection, filter: own, transaction: transaction)
            else { throw notFound }
            guard matched == 1 else { throw DomainError.conflict("the delivery is pending: it is due already") }
            return .commit(record)
        }
        gateway.hooks.deliverSoon()
        return ListDeliveries.shown(record)
    }

    /// Every delivery `filter` selects; how many were scheduled.
    func matching(_ filter: DeliveryFilter) async throws -> Int {
        let query = filter.query(tenantId: caller.tenantId).encoded(), update = Self.due(now: .now()).encoded()
        let scheduled = try await gateway.store.run { connection in
            try connection.updateMany(in: OutboxRecord.collection, filter: query, update: update).matchedCount
        }
        if scheduled > 0 { gateway.hooks.deliverSoon() }
        return scheduled
    }

    static let replayable: [OutboxRecord.Status] = [.delivered, .dead]

    /// Pending and due at `now`, as if new; no longer settled, so retention keeps it.
    private static func due(now: BSONDate) -> BSONDocument {
        BSONDocument([
            "$set": .document(BSONDocument([
                "status": .string(OutboxRecord.Status.pending.rawValue), "attempts": .int32(0),
                "next_attempt_at": .date(now), "lease_owner": .null, "last_error": .null,
            ])),
            "$unset": .document(BSONDocument(["delivered_at": .string(""), "dead_at": .string(""), "settled_at": .string("")])),
        ])
    }
}
