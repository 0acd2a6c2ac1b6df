import PMBSON

/// The hook steps of a batch create: `pre_create` for the documents that passed schema
/// and policy, and the `post_create` outbox records written with the documents.
struct CreateHookSteps: HookSteps {
    let hooks: GatewayHooks
    let collection: String
    let caller: Caller
    let batch: HookBatch
    var dryRun = false
    var mixedBatch: MixedBatchHooks.Operation? = nil

    /// Splits `prepared` into the documents every `pre_create` hook let through and the
    /// rejected ones.
    func preCreate(_ prepared: [PreparedDocument]) async -> (passed: [PreparedDocument], rejected: [(Int, DocumentFailure)]) {
        guard !hooks.endpoints(.preCreate, of: collection).isEmpty, !prepared.isEmpty else { return (prepared, []) }
        let verdicts = await check(.preCreate, prepared.map { .create(index: $0.index, document: $0.document) })
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
            documents: prepared.map { ($0.index, BSON.objectId($0.id), $0.document) }
        ).mapValues { $0.map { $0.encoded() } }
        guard let batched = batchRecordMaker(.postCreate) else { return OutboxRecords(perDocument: perDocument, batched: nil) }
        var byIndex: [Int: (id: BSON, document: BSONDocument)] = [:]
        for document in prepared { byIndex[document.index] = (.objectId(document.id), document.document) }
        let documents = byIndex
        return OutboxRecords(perDocument: perDocument) { written in batched(written.compactMap { documents[$0] }) }
    }
}
