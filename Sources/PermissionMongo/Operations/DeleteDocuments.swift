import PMBSON

/// Batch delete: selects what the caller may delete in the database, saves
/// each document as a version, then removes it — or, with `soft_delete`, marks it with
/// `deleted_at`/`deleted_by` so that reads no longer see it.
struct DeleteDocuments {
    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller
    let atomic: Bool
    var dryRun = false
    var transaction: StoreTransaction? = nil
    var mixedBatch: MixedBatchHooks.Operation? = nil
    /// The tenant's `per_tenant` rate limit, charged for the documents this change selects.
    var quota: DocumentQuota? = nil
    /// Add the requested ids skipped by policy and those not found to the result (ids only).
    var reportDenied = false

    func run(target: DocumentTarget) async throws -> ChangeBatchResult {
        let permission = try gateway.permission(caller, .delete, on: collection)
        let now = BSONDate.now()
        let soft = collection.softDelete
        let callerId = caller.id
        let planner: ChangePlanner = { stored in
            guard soft else { return .success(.remove) }
            var marked = stored
            marked["deleted_at"] = .date(now)
            marked["deleted_by"] = .string(callerId)
            return .success(.replace(marked))
        }
        return try await ChangeRunner(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            kind: .delete, op: .delete, atomic: atomic, dryRun: dryRun,
            transaction: transaction, mixedBatch: mixedBatch, quota: quota, reportDenied: reportDenied
        ).run(target: target, planner: planner, now: now)
    }
}
