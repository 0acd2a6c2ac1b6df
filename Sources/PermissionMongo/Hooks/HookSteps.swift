import PMBSON

/// What the hook steps of create (`CreateHookSteps`) and of update and delete
/// (`ChangeHookSteps`) share: the request's envelope, the pre-hook calls, and the
/// batch-mode post-hook records — or, in a mixed batch that calls batch-mode hooks once
/// (`MixedBatchHooks`), handing the documents to it instead.
protocol HookSteps {
    var hooks: GatewayHooks { get }
    var collection: String { get }
    var caller: Caller { get }
    var batch: HookBatch { get }
    /// Validate-only mixed batches: payloads carry `dry_run: true`.
    var dryRun: Bool { get }
    /// An operation of a mixed batch whose batch-mode hooks are called once for the batch.
    var mixedBatch: MixedBatchHooks.Operation? { get }
}

extension HookSteps {
    var context: HookContext { HookContext(collection: collection, caller: caller, batch: batch, dryRun: dryRun) }

    /// Calls the endpoints of `event` for `entries`: one verdict per entry, nil when it passed.
    func check(_ event: HookEvent, _ entries: [HookEntry]) async -> [DocumentFailure?] {
        var endpoints = hooks.endpoints(event, of: collection)
        if let mixedBatch {
            endpoints = mixedBatch.callNow(event, collection: collection, endpoints: endpoints, entries: entries)
        }
        return await hooks.preHooks.check(event, endpoints: endpoints, context: context, entries: entries)
    }

    /// Builds the batch-mode `event` records of `written` documents, when the collection has
    /// such endpoints; nil otherwise.
    func batchRecordMaker(_ event: HookEvent) -> (@Sendable ([(id: BSON, document: BSONDocument)]) -> [BSONDocument])? {
        guard hooks.hasBatchEndpoints(event, of: collection) else { return nil }
        let hooks = hooks, context = context, mixedBatch = mixedBatch, collection = collection
        return { written in
            if let mixedBatch {
                mixedBatch.keepWritten(event, collection: collection, documents: written)
                return []
            }
            return hooks.batchOutboxRecords(event, context, documents: written)
        }
    }
}
