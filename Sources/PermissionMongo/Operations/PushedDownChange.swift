import PMBSON
import PMMongo

/// A batch update or delete that MongoDB applies itself, with `update_many` / `delete_many`
/// over the selection (tenant, policy condition, soft-delete marker, the client's filter or
/// ids), without the gateway reading the documents (docs/API.md, "Updates and deletes
/// pushed down"). `matched` and `modified`/`deleted` are the server's counts.
///
/// Every write is in a transaction, retried as any other after a transient error. By
/// filter and not atomic, chunk after chunk of `max_batch_size` documents in `_id` order: a
/// transaction reads the chunk (whole documents with versioning, else only their ids),
/// saves their previous states (with versioning) and changes exactly those documents. By
/// ids, or atomic, one transaction writes through the selection itself.
struct PushedDownChange {
    /// What MongoDB does to each selected document.
    enum Write: Sendable {
        /// `update_many` with this update.
        case update(BSONDocument)
        /// `delete_many`.
        case remove
    }

    /// Done, or an update MongoDB refused for a stored value (`$inc` of a `null`, an integer
    /// overflow): `written` counts what earlier chunks wrote, and the read–modify–write path
    /// takes over after `after` (from the start when nil) and decides document by document.
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

    private var selection: StoredSelection {
        StoredSelection(gateway: gateway, collection: collection, caller: caller, permission: permission)
    }

    private var op: VersionOp { kind == .update ? .update : .delete }

    /// Writes the change of `target`, already checked and charged by `ChangeRunner`.
    func run(target: DocumentTarget) async throws -> Outcome {
        let selection = selection
        if case .filter(let filter) = target, !atomic { return try await inChunks(filter: filter) }
        let queries = selection.queries(for: target).map { $0.encoded() }
        // Changes of the same documents in this process write one after the other.
        let turn: DocumentTurns.Turn?
        if case .ids(let ids) = target {
            turn = await gateway.documentTurns.take(ids.map(BSON.objectId), in: collection.name)
        } else {
            turn = nil
        }
        defer { turn?.release() }
        let versioned = collection.versioning.enabled
        let counts = try await inOneTransaction { connection in
            var found: [StoredBytes] = []
            if versioned {
                for query in queries { found += try connection.findStored(in: collection.name, filter: query) }
            }
            return try writeChunk(found, by: queries, on: connection)
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

    /// A change by filter, not atomic: chunk after chunk in `_id` order, each in a transaction
    /// of its own; it stops between chunks when the request is cancelled or its client has
    /// gone away (`ClientPresence`).
    private func inChunks(filter: BSONDocument) async throws -> Outcome {
        let selection = selection
        let size = selection.maxBatchSize
        let sort = StoredSelection.idOrder.encoded()
        let projection = collection.versioning.enabled ? nil : BSONDocument(["_id": .int32(1)]).encoded()
        var total = result()
        var last: BSON?
        while true {
            try await ClientPresence.check()
            let query = selection.chunkQuery(of: filter, after: last).encoded()
            guard let counts = try await inOneTransaction({ connection in
                let found = try connection.findStored(
                    in: collection.name, filter: query, sort: sort, projection: projection, limit: size)
                return try writeChunk(found, on: connection)
            }) else {
                return .refused(written: total, after: last)
            }
            total.append(chunk: result(counts))
            guard let end = counts.last, counts.matched == size else { break }
            last = end
        }
        return .done(total)
    }

    /// `body` in a transaction of its own, committed in the same thread-pool job unless
    /// MongoDB refused the update (then aborted, and nil).
    private func inOneTransaction(_ body: @escaping @Sendable (StoreConnection) throws -> Counts?) async throws -> Counts? {
        try await gateway.store.transaction { transaction -> TransactionEnd<Counts?> in
            try await transaction.runAndCommit { connection in
                let counts = try body(connection)
                return counts == nil ? .abort(nil) : .commit(counts)
            }
        }
    }

    /// With versioning, `found`'s previous states saved (as read, unless saved as
    /// differences); then the documents changed through `queries` (in the transaction's
    /// snapshot they select what was found), or by the ids of `found` when nil. Nil when
    /// MongoDB refused the update.
    private func writeChunk(
        _ found: [StoredBytes], by queries: [[UInt8]]? = nil, on connection: StoreConnection
    ) throws -> Counts? {
        let ids = found.map(\.id)
        if queries == nil && ids.isEmpty { return Counts() }
        if collection.versioning.enabled && !found.isEmpty {
            let versions = VersionRecorder(
                collectionName: collection.name, settings: collection.versioning, tenantId: caller.tenantId,
                userId: caller.id)
            if kind == .update && collection.versioning.mode == .diff {
                let before = try found.map { try $0.decoded() }
                try versions.record(
                    before.map { VersionRecorder.Change(before: $0, after: after($0), op: op) }, now: now, in: connection)
            } else {
                try versions.recordWhole(found, op: op, now: now, in: connection)
            }
        }
        let byId = queries ?? IdsIn.conditions(ids).map {
            BSONDocument(["_id": $0, "tenant_id": .string(caller.tenantId)]).encoded()
        }
        guard var counts = try writeSelected(by: byId, on: connection) else { return nil }
        if queries == nil {
            counts.matched = found.count
            counts.last = ids.last
        }
        return counts
    }

    /// The write over each query's documents; nil when MongoDB refused the update (an
    /// error that is not transient: the transaction is then aborted).
    private func writeSelected(by queries: [[UInt8]], on connection: StoreConnection) throws -> Counts? {
        var counts = Counts()
        switch write {
        case .update(let document):
            let update = document.encoded()
            for query in queries {
                do {
                    let outcome = try connection.updateMany(in: collection.name, filter: query, update: update)
                    counts.matched += outcome.matchedCount
                    counts.written += outcome.modifiedCount
                } catch let error as MongoError where error.kind == .server && !error.isTransient {
                    return nil
                }
            }
        case .remove:
            for query in queries {
                let deleted = try connection.deleteMany(in: collection.name, filter: query)
                counts.matched += deleted
                counts.written += deleted
            }
        }
        return counts
    }
}
