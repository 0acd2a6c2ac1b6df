import PMBSON

/// The hook steps of a batch create: `pre_create` for the documents that passed schema
/// and policy, and the `post_create` outbox records written with the documents.
struct CreateHookSteps {
    let hooks: GatewayHooks
    let collection: String
    let caller: Caller
    let batch: HookBatch
    /// Validate-only mixed batches: payloads carry `dry_run: true`.
    var dryRun = false
    /// An operation of a mixed batch whose batch-mode hooks are called once for the batch.
    var mixedBatch: MixedBatchHooks.Operation? = nil

    var context: HookContext { HookContext(collection: collection, caller: caller, batch: batch, dryRun: dryRun) }

    /// Splits `prepared` into the documents every `pre_create` hook let through and the
    /// rejected ones.
    func preCreate(_ prepared: [PreparedDocument]) async -> (passed: [PreparedDocument], rejected: [(Int, DocumentFailure)]) {
        var endpoints = hooks.endpoints(.preCreate, of: collection)
        guard !endpoints.isEmpty, !prepared.isEmpty else { return (prepared, []) }
        let entries = prepared.map { HookEntry.create(index: $0.index, document: $0.document) }
        if let mixedBatch {
            endpoints = mixedBatch.callNow(.preCreate, collection: collection, endpoints: endpoints, entries: entries)
        }
        let verdicts = await hooks.preHooks.check(.preCreate, endpoints: endpoints, context: context, entries: entries)
        var passed: [PreparedDocument] = []
        var rejected: [(Int, DocumentFailure)] = []
        for (document, verdict) in zip(prepared, verdicts) {
            if let verdict { rejected.append((document.index, verdict)) } else { passed.append(document) }
        }
        return (passed, rejected)
    }

    /// The `post_create` outbox records of the documents that will be written.
    func postCreateRecords(_ prepared: [PreparedDocument]) -> OutboxRecords {
        let perDocument = hooks.outboxRecords(
            .postCreate, collection: collection, caller: caller, batch: batch,
            documents: prepared.map { ($0.index, BSON.objectId($0.id), $0.document) })
        guard hooks.hasBatchEndpoints(.postCreate, of: collection) else {
            return OutboxRecords(perDocument: perDocument.mapValues { $0.map { $0.encoded() } }, batched: nil)
        }
        var byIndex: [Int: (id: BSON, document: BSONDocument)] = [:]
        for document in prepared { byIndex[document.index] = (.objectId(document.id), document.document) }
        let hooks = hooks, context = context, mixedBatch = mixedBatch, collection = collection, documents = byIndex
        return OutboxRecords(perDocument: perDocument.mapValues { $0.map { $0.encoded() } }) { written in
            let writing = written.compactMap { documents[$0] }
            if let mixedBatch {
                mixedBatch.keepWritten(.postCreate, collection: collection, documents: writing)
                return []
            }
            return hooks.batchOutboxRecords(.postCreate, context, documents: writing)
        }
    }
}
