import PMBSON
import PMSchema

/// Batch update: selects what the caller may change in the database,
/// applies the update to each stored document in the gateway, validates the result
/// against the schema, then writes every surviving post-image (with its previous
/// version) in one transaction.
struct UpdateDocuments {
    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller
    let atomic: Bool
    /// The client's `update` as sent, for `pre_update` hook payloads.
    var hookUpdate: BSONDocument? = nil
    var dryRun = false
    var transaction: StoreTransaction? = nil
    var mixedBatch: MixedBatchHooks.Operation? = nil
    /// The tenant's `per_tenant` rate limit, charged for the documents this change selects.
    var quota: DocumentQuota? = nil
    /// Add the requested ids skipped by policy and those not found to the result (ids only).
    var reportDenied = false
    /// The route answers with counts only (`PUT /{collection}/batch`): MongoDB may apply the
    /// update without the documents being read (`PushedDownChange`).
    var mayPushDown = false

    func run(target: DocumentTarget, spec: UpdateSpec) async throws -> ChangeBatchResult {
        let permission = try gateway.permission(caller, .update, on: collection).allowingWrites(of: spec)
        let now = BSONDate.now()
        let planner = Self.planner(spec: spec, schema: collection.schema, caller: caller, now: now)
        var runner = ChangeRunner(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            kind: .update, op: .update, atomic: atomic, hookUpdate: hookUpdate, dryRun: dryRun,
            transaction: transaction, mixedBatch: mixedBatch, quota: quota, reportDenied: reportDenied)
        runner.pushDown = pushedDown(spec, permission: permission, planner: planner, now: now)
        return try await runner.run(target: target, planner: planner, now: now)
    }

    private func pushedDown(
        _ spec: UpdateSpec, permission: Permission, planner: @escaping ChangePlanner, now: BSONDate
    ) -> PushedDownChange? {
        guard mayPushDown, let update = ServerUpdate(spec, collection: collection) else { return nil }
        return PushedDownChange(
            gateway: gateway, collection: collection, caller: caller, permission: permission, kind: .update,
            atomic: atomic, write: .update(update.document(now: now, userId: caller.id)),
            now: now, after: { try? planner($0).get().after })
    }

    static func planner(spec: UpdateSpec, schema: CollectionSchema, caller: Caller, now: BSONDate) -> ChangePlanner {
        { stored in
            var document: BSONDocument
            do {
                document = try spec.apply(to: stored)
            } catch let error as UpdateError {
                return .failure(.inapplicable(error.message))
            } catch {
                return .failure(.inapplicable("the update cannot be applied"))
            }
            document["updated_at"] = .date(now)
            document["updated_by"] = .string(caller.id)
            if let violation = schema.validate(&document) {
                return .failure(DocumentFailure(.schemaValidation, violation.message))
            }
            return .success(.replace(document))
        }
    }
}
