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

    /// Splits `prepared` into the documents every `pre_create` hook let through and the
    /// rejected ones.
    func preCreate(_ prepared: [PreparedDocument]) async -> (passed: [PreparedDocument], rejected: [(Int, DocumentFailure)]) {
        let endpoints = hooks.endpoints(.preCreate, of: collection)
        guard !endpoints.isEmpty, !prepared.isEmpty else { return (prepared, []) }
        let payloads = prepared.map {
            HookPayload.preCreate(
                collection: collection, caller: caller, index: $0.index, batch: batch, document: $0.document,
                dryRun: dryRun)
        }
        let verdicts = await hooks.preHooks.check(.preCreate, endpoints: endpoints, payloads: payloads)
        var passed: [PreparedDocument] = []
        var rejected: [(Int, DocumentFailure)] = []
        for (document, verdict) in zip(prepared, verdicts) {
            if let verdict { rejected.append((document.index, verdict)) } else { passed.append(document) }
        }
        return (passed, rejected)
    }

    /// `post_create` outbox records for each document, keyed by its request index.
    func postCreateRecords(_ prepared: [PreparedDocument]) -> [Int: [BSONDocument]] {
        hooks.outboxRecords(
            .postCreate, collection: collection, caller: caller, batch: batch,
            documents: prepared.map { ($0.index, BSON.objectId($0.id), $0.document) })
    }
}
