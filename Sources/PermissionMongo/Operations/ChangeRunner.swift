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

    var selection: StoredSelection {
        StoredSelection(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            includeDeleted: includeDeleted)
    }

    func run(target: DocumentTarget, planner: @escaping ChangePlanner, now: BSONDate) async throws -> ChangeBatchResult {
        if case .filter(let filter) = target { try gateway.visibility(caller, on: collection).check(filter: filter) }
        if case .ids(let ids) = target { try quota?.take(ids.count) }
        let stored = try await selection.load(target, from: gateway.store, transaction: transaction)
        if case .filter = target { try quota?.take(stored.count) }
        var result = ChangeBatchResult(kind: kind, atomic: atomic)
        result.matched = stored.count
        if reportDenied, case .ids(let ids) = target {
            result.deniedIds = try await DeniedIdsLookup(
                store: gateway.store, collection: collection, tenantId: caller.tenantId, transaction: transaction
            ).classify(requested: ids, matched: stored)
        }
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
        let outcome = try await writer.run(
            queries: selection.queries(forIds: order), planned: planned, excluded: [:], planner: planner, now: now)
        result.written = outcome.written
        result.failed += outcome.failed
        if !outcome.written.isEmpty { gateway.hooks.deliverSoon() }
        return result
    }
}
