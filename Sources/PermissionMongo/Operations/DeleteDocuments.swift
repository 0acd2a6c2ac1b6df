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
    /// The route answers with counts only (`DELETE /{collection}/batch`): MongoDB may delete
    /// without the documents being read (`PushedDownChange`).
    var mayPushDown = false

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
        var runner = ChangeRunner(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            kind: .delete, op: .delete, atomic: atomic, dryRun: dryRun,
            transaction: transaction, mixedBatch: mixedBatch, quota: quota, reportDenied: reportDenied)
        runner.pushDown = pushedDown(permission: permission, now: now)
        return try await runner.run(target: target, planner: planner, now: now)
    }

    private func pushedDown(permission: Permission, now: BSONDate) -> PushedDownChange? {
        guard mayPushDown else { return nil }
        let write: PushedDownChange.Write = collection.softDelete
            ? .update(
                BSONDocument(["$set": .document(BSONDocument([
                    "deleted_at": .date(now), "deleted_by": .string(caller.id),
                ]))]))
            : .remove
        return PushedDownChange(
            gateway: gateway, collection: collection, caller: caller, permission: permission, kind: .delete,
            atomic: atomic, write: write, now: now, after: { _ in nil })
    }
}
