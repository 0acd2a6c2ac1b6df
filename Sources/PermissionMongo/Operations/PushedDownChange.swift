import PMBSON
import PMMongo

/// A batch update or delete that MongoDB applies itself, with `update_many` / `delete_many`
/// over the selection (tenant, policy condition, soft-delete marker, the client's filter or
/// ids), without the gateway reading the documents (docs/API.md, "Updates and deletes
/// pushed down"). `matched` and `modified`/`deleted` are the server's counts.
///
/// With versioning, each chunk of `max_batch_size` documents (in `_id` order) is read, its
/// previous states saved and the write done by their ids in one transaction, so a version is
/// saved exactly for each document changed. Without versioning one write does it all: in a
/// transaction when atomic or when MongoDB may refuse the update, else outside any.
struct PushedDownChange {
    /// What MongoDB does to each selected document.
    enum Write: Sendable {
        /// `update_many`; `mayBeRefused`: see `ServerUpdate.mayBeRefused`.
        case update(BSONDocument, mayBeRefused: Bool)
        /// `delete_many`.
        case remove
    }

    /// Done, or refused by MongoDB (only an update that `mayBeRefused`): `written` counts what
    /// earlier chunks wrote, and the read–modify–write path takes over after `after` (from
    /// the start when nil) and decides document by document.
    enum Outcome: Sendable {
        case done(ChangeBatchResult)
        case refused(written: ChangeBatchResult, after: BSON?)
    }

    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller
    let permission: Permission
    let kind: ChangeBatchResult.Kind
    let atomic: Bool
    let write: Write
    /// The request's time: versions' `updated_at`.
    let now: BSONDate
    /// A stored document after the change (versions saved as differences); nil: saved whole.
    let after: @Sendable (BSONDocument) -> BSONDocument?
    var quota: DocumentQuota? = nil

    /// Whether a change may be pushed down at all: the collection allows it, no hook of the
    /// change's events needs the documents, and it runs in no caller's transaction.
    static func allowed(
        for collection: CollectionConfig, events: [HookEvent], hooks: GatewayHooks, inTransaction: Bool
    ) -> Bool {
        collection.pushDown && !inTransaction && events.allSatisfy { hooks.endpoints($0, of: collection.name).isEmpty }
    }

    private var selection: StoredSelection {
        StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission)
    }

    private var op: VersionOp { kind == .update ? .update : .delete }

    private var mayBeRefused: Bool {
        if case .update(_, true) = write { true } else { false }
    }

    func run(target: DocumentTarget) async throws -> Outcome {
        let selection = selection
        switch target {
        case .ids(let ids):
            try quota?.take(ids.count)
        case .filter(let filter):
            try gateway.visibility(caller, on: collection).check(filter: filter)
            if atomic {
                let matched = try await selection.count(filter, in: gateway.store)
                try selection.checkOneTransaction(holds: matched)
                try quota?.take(matched)
            } else {
                try quota?.take(try await selection.count(filter, in: gateway.store))
            }
        }
        let versioned = collection.versioning.enabled
        if versioned, case .filter(let filter) = target, !atomic {
            return try await inChunks(filter: filter)
        }
        let queries = selection.queries(for: target).map { $0.encoded() }
        let inTransaction = versioned || atomic || mayBeRefused
        // Changes of the same documents in this process write one after the other.
        let turn: DocumentTurns.Turn?
        if inTransaction, case .ids(let ids) = target {
            turn = await gateway.documentTurns.take(ids.map(BSON.objectId), in: collection.name)
        } else {
            turn = nil
        }
        defer { turn?.release() }
        let counts: Counts?
        if inTransaction {
            counts = try await inOneTransaction { connection in
                try versioned ? writeVersioned(queries: queries, on: connection) : writeSelected(by: queries, on: connection)
            }
        } else {
            counts = try await gateway.store.run { connection in try writeSelected(by: queries, on: connection) }
        }
        guard let counts else { return .refused(written: result(), after: nil) }
        return .done(result(counts))
    }

    /// What one write did.
    private struct Counts: Sendable {
        var matched = 0
        var written = 0
        /// The last `_id` of a chunk.
        var last: BSON?
    }

    private func result(_ counts: Counts = Counts()) -> ChangeBatchResult {
        var result = ChangeBatchResult(kind: kind, atomic: atomic)
        result.matched = counts.matched
        result.writtenNotKept = counts.written
        result.pushedDown = true
        return result
    }

    /// A versioned change by filter, not atomic: chunk after chunk in `_id` order, each in a
    /// transaction of its own; a request whose task is cancelled stops between chunks.
    private func inChunks(filter: BSONDocument) async throws -> Outcome {
        let selection = selection
        let size = selection.maxBatchSize
        let sort = StoredSelection.idOrder.encoded()
        var total = result()
        var last: BSON?
        while true {
            try Task.checkCancellation()
            let query = selection.chunkQuery(of: filter, after: last).encoded()
            guard let counts = try await inOneTransaction({ connection in
                let found = try connection.find(in: collection.name, filter: query, sort: sort, limit: size)
                return try writeVersioned(found, on: connection)
            }) else {
                return .refused(written: total, after: last)
            }
            total.append(chunk: result(counts))
            guard let end = counts.last, counts.matched == size else { break }
            last = end
        }
        return .done(total)
    }

    /// `body` in a transaction of its own, committed unless MongoDB refused the update
    /// (then aborted, and nil).
    private func inOneTransaction(_ body: @escaping @Sendable (StoreConnection) throws -> Counts?) async throws -> Counts? {
        try await gateway.store.transaction { transaction -> TransactionEnd<Counts?> in
            let counts = try await transaction.run(body)
            return counts == nil ? .abort(nil) : .commit(counts)
        }
    }

    /// The documents `queries` select, their previous states saved, then changed by the same
    /// queries (in the transaction's snapshot they select the same documents).
    private func writeVersioned(queries: [[UInt8]], on connection: StoreConnection) throws -> Counts? {
        var found: [BSONDocument] = []
        for query in queries { found += try connection.find(in: collection.name, filter: query) }
        return try writeVersioned(found, by: queries, on: connection)
    }

    /// `found`'s previous states saved, then the documents changed by `queries`, or by their
    /// ids when nil.
    private func writeVersioned(
        _ found: [BSONDocument], by queries: [[UInt8]]? = nil, on connection: StoreConnection
    ) throws -> Counts? {
        let ids = found.compactMap { $0["_id"] }
        guard !ids.isEmpty else { return Counts() }
        let versions = VersionRecorder(
            collectionName: collection.name, settings: collection.versioning, tenantId: caller.tenantId, userId: caller.id)
        let diffs = kind == .update && collection.versioning.mode == .diff
        try versions.record(
            found.map { VersionRecorder.Change(before: $0, after: diffs ? after($0) : nil, op: op) },
            now: now, in: connection)
        let byId = queries ?? IdsIn.conditions(ids).map {
            BSONDocument(["_id": $0, "tenant_id": .string(caller.tenantId)]).encoded()
        }
        guard var counts = try writeSelected(by: byId, on: connection) else { return nil }
        counts.matched = found.count
        counts.last = ids.last
        return counts
    }

    /// The write over each query's documents; nil when MongoDB refused an update that
    /// `mayBeRefused`.
    private func writeSelected(by queries: [[UInt8]], on connection: StoreConnection) throws -> Counts? {
        var counts = Counts()
        let update: [UInt8]? = if case .update(let document, _) = write { document.encoded() } else { nil }
        for query in queries {
            switch write {
            case .update(_, let mayBeRefused):
                do {
                    let outcome = try connection.updateMany(in: collection.name, filter: query, update: update ?? [])
                    counts.matched += outcome.matchedCount
                    counts.written += outcome.modifiedCount
                } catch let error as MongoError where mayBeRefused && error.kind == .server && !error.isTransient {
                    return nil
                }
            case .remove:
                let deleted = try connection.deleteMany(in: collection.name, filter: query)
                counts.matched += deleted
                counts.written += deleted
            }
        }
        return counts
    }
}
