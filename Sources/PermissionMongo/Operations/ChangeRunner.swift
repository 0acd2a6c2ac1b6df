import PMBSON

/// The shared path of update, delete and restore: select → plan each document → (hooks)
/// → write in one transaction → result. Single-document routes are batches of one.
struct ChangeRunner {
    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller
    let permission: Permission
    let kind: ChangeBatchResult.Kind
    let op: VersionOp
    let atomic: Bool
    var includeDeleted = false
    /// The client's `update`, for `pre_update` hook payloads.
    var hookUpdate: BSONDocument? = nil
    /// Validate-only mixed batches: pre-hook payloads carry `dry_run: true`.
    var dryRun = false
    /// The caller's transaction (a mixed batch's, or an `Idempotency-Key`'s) the change runs in; nil: one of its own.
    var transaction: StoreTransaction? = nil
    /// In a mixed batch that calls batch-mode hooks once for all its operations: this operation.
    var mixedBatch: MixedBatchHooks.Operation? = nil
    /// The tenant's `per_tenant` rate limit: charged the requested ids, or the documents a
    /// filter selects, before any hook or write.
    var quota: DocumentQuota? = nil
    /// With ids: report those skipped by policy and those not found (`DeniedIds`).
    var reportDenied = false
    /// A change by filter in chunks starts after this `_id` (where a pushed-down change that
    /// MongoDB refused stopped: `PushedDownChange`).
    var resumeAfter: BSON? = nil
    /// The same change as MongoDB can apply it without the documents being read
    /// (`PushedDownChange`), offered by a batch route; tried first when nothing of this
    /// change needs the documents (`pushesDown`).
    var pushDown: PushedDownChange? = nil

    var selection: StoredSelection {
        StoredSelection(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            includeDeleted: includeDeleted)
    }

    /// A filter outside any transaction (not atomic, no `Idempotency-Key`, not in a mixed
    /// batch's transaction) changes every document it selects, in chunks of `max_batch_size`,
    /// each chunk in a transaction of its own (docs/API.md, "Update and delete by filter").
    /// Otherwise one transaction holds the whole change.
    func run(target: DocumentTarget, planner: @escaping ChangePlanner, now: BSONDate) async throws -> ChangeBatchResult {
        if case .filter(let filter) = target { try gateway.visibility(caller, on: collection).check(filter: filter) }
        if let pushDown, pushesDown {
            return try await run(pushDown, target: target, planner: planner, now: now)
        }
        if case .filter(let filter) = target, !atomic, transaction == nil {
            return try await runInChunks(filter: filter, planner: planner, now: now)
        }
        if case .ids(let ids) = target { try quota?.take(ids.count) }
        let stored = try await selection.load(target, from: gateway.store, transaction: transaction)
        if case .filter = target { try quota?.take(stored.count) }
        var result = ChangeBatchResult(kind: kind, atomic: atomic)
        if reportDenied, case .ids(let ids) = target {
            result.deniedIds = try await DeniedIdsLookup(
                store: gateway.store, collection: collection, tenantId: caller.tenantId, transaction: transaction
            ).classify(requested: ids, matched: stored)
        }
        return try await change(stored, into: result, planner: planner, now: now)
    }

    /// Whether the change may be pushed down: it runs in no caller's transaction, no
    /// validate-only or `report_denied` answer needs the documents, the collection allows it,
    /// and no hook of the change's events is configured (their payloads carry documents).
    private var pushesDown: Bool {
        let events: [HookEvent] = switch op {
        case .update: [.preUpdate, .postUpdate]
        case .delete: [.preDelete, .postDelete]
        case .restore: []
        }
        return op != .restore && transaction == nil && mixedBatch == nil && !dryRun && !reportDenied
            && collection.pushDown && events.allSatisfy { gateway.hooks.endpoints($0, of: collection.name).isEmpty }
    }

    /// The change pushed down, charged to the rate limit (and bounded, atomic by filter) as
    /// the read–modify–write path charges it. When MongoDB refuses the update for some stored
    /// value, the documents not yet written are read and decided one by one.
    private func run(
        _ pushDown: PushedDownChange, target: DocumentTarget, planner: @escaping ChangePlanner, now: BSONDate
    ) async throws -> ChangeBatchResult {
        switch target {
        case .ids(let ids):
            try quota?.take(ids.count)
        case .filter(let filter) where atomic:
            let matched = try await selection.count(filter, in: gateway.store)
            try selection.checkOneTransaction(holds: matched)
            try quota?.take(matched)
        case .filter(let filter):
            try quota?.take(try await selection.count(filter, in: gateway.store))
        }
        switch try await pushDown.run(target: target) {
        case .done(let result):
            return result
        case .refused(let written, let after):
            var rest = self
            rest.pushDown = nil
            rest.quota = nil  // charged already
            rest.resumeAfter = after
            let result = try await rest.run(target: target, planner: planner, now: now)
            guard written.matched > 0 else { return result }
            var combined = written
            combined.append(chunk: result)
            return combined
        }
    }

    /// Charged for what the filter selects, then chunk after chunk in `_id` order until
    /// none is left; it stops between chunks when the request is cancelled or its client has
    /// gone away (`ClientPresence`).
    private func runInChunks(filter: BSONDocument, planner: @escaping ChangePlanner, now: BSONDate) async throws -> ChangeBatchResult {
        let selection = selection
        try quota?.take(try await selection.count(filter, in: gateway.store))
        var result = ChangeBatchResult(kind: kind, atomic: false)
        var last = resumeAfter
        while true {
            try await ClientPresence.check()
            let chunk = try await selection.chunk(of: filter, after: last, from: gateway.store)
            guard let end = chunk.last?["_id"] else { break }
            last = end
            result.append(chunk: try await change(chunk, into: ChangeBatchResult(kind: kind, atomic: false), planner: planner, now: now))
            if chunk.count < selection.maxBatchSize { break }
        }
        return result
    }

    /// Plans, hooks and writes the change of `stored` (one transaction).
    private func change(
        _ stored: [BSONDocument], into result: ChangeBatchResult, planner: @escaping ChangePlanner, now: BSONDate
    ) async throws -> ChangeBatchResult {
        var result = result
        result.matched = stored.count
        var planned: [DocumentKey: PlannedChange] = [:]
        var order: [BSON] = []
        for document in stored {
            guard let id = document["_id"] else { continue }
            switch planner(document) {
            case .success(let action):
                planned[DocumentKey(id)] = PlannedChange(before: document, action: action)
                order.append(id)
            case .failure(let failure):
                result.failed.append((id, failure))
            }
        }
        if result.rolledBack || order.isEmpty { return result }

        // Hooks: pre_update / pre_delete for each planned document; post_update /
        // post_delete recorded in the outbox inside the change's transaction. A restore
        // calls none.
        let hookSteps = ChangeHookSteps(
            hooks: gateway.hooks, collection: collection.name, caller: caller, batch: .new(size: stored.count),
            dryRun: dryRun, mixedBatch: mixedBatch)
        if let event: HookEvent = op == .update ? .preUpdate : op == .delete ? .preDelete : nil {
            let rejected = await hookSteps.check(event, matched: stored, planned: order, update: hookUpdate)
            let rejectedKeys = Set(rejected.map { DocumentKey($0.id) })
            order.removeAll { rejectedKeys.contains(DocumentKey($0)) }
            for key in rejectedKeys { planned[key] = nil }
            result.failed += rejected.map { ($0.id, $0.failure) }
            if result.rolledBack || order.isEmpty { return result }
        }

        let writer = ChangeWriter(
            store: gateway.store, collection: collection.name, tenantId: caller.tenantId,
            versions: VersionRecorder(
                collectionName: collection.name, settings: collection.versioning,
                tenantId: caller.tenantId, userId: caller.id),
            op: op, atomic: atomic, uniqueFields: collection.schema.uniqueFields, transaction: transaction,
            outbox: (op == .update ? HookEvent.postUpdate : op == .delete ? .postDelete : nil)
                .flatMap { hookSteps.postRecords($0, matched: stored) })
        // Changes of the same documents in this process write one after the other.
        let turn = transaction == nil ? await gateway.documentTurns.take(order, in: collection.name) : nil
        defer { turn?.release() }
        let outcome = try await writer.run(
            queries: selection.queries(forIds: order), planned: planned, excluded: [:], planner: planner, now: now)
        result.written = outcome.written
        result.failed += outcome.failed
        if !outcome.written.isEmpty { gateway.hooks.deliverSoon() }
        return result
    }
}
