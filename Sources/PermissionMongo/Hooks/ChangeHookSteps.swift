import PMBSON

/// The `pre_update` / `pre_delete` step of batch update, delete: one call
/// per planned document (or one per batch-mode endpoint for all of them) with its `id`,
/// the stored document (`before` / `document`) and, for updates, the client's `update`;
/// `index` is the document's position among the matched ones.
struct ChangeHookSteps: HookSteps {
    let hooks: GatewayHooks
    let collection: String
    let caller: Caller
    /// One batch id for the pre- and post-hooks of a request.
    let batch: HookBatch
    var dryRun = false
    var mixedBatch: MixedBatchHooks.Operation? = nil

    /// - Parameters:
    ///   - matched: every matched document, in order (for `index` and `batch.size`).
    ///   - planned: ids of the documents about to be written.
    /// - Returns: the rejected ones, by id.
    func check(
        _ event: HookEvent, matched: [BSONDocument], planned: [BSON], update: BSONDocument?
    ) async -> [(id: BSON, failure: DocumentFailure)] {
        guard !hooks.endpoints(event, of: collection).isEmpty, !planned.isEmpty else { return [] }
        let plannedSet = Set(planned.map(DocumentKey.init))
        var ids: [BSON] = []
        var entries: [HookEntry] = []
        for (index, document) in matched.enumerated() {
            guard let id = document["_id"], plannedSet.contains(DocumentKey(id)) else { continue }
            ids.append(id)
            entries.append(
                event == .preUpdate
                    ? .update(index: index, id: id, before: document, update: update ?? BSONDocument())
                    : .written(index: index, id: id, document: document))
        }
        let verdicts = await check(event, entries)
        return zip(ids, verdicts).compactMap { id, verdict in verdict.map { (id, $0) } }
    }

    /// The post-hook deliveries of written documents (`post_update`, `post_delete`), to be
    /// recorded in the transaction of the change; `index` is the position among the matched.
    func postRecords(_ event: HookEvent, matched: [BSONDocument]) -> OutboxRecordMaker? {
        guard !hooks.endpoints(event, of: collection).isEmpty else { return nil }
        var indexes: [DocumentKey: Int] = [:]
        for (index, document) in matched.enumerated() {
            if let id = document["_id"] { indexes[DocumentKey(id)] = index }
        }
        let hooks = hooks, collection = collection, caller = caller, batch = batch, positions = indexes
        let batched = batchRecordMaker(event)
        return { written in
            let documents = written.map { (index: positions[DocumentKey($0.id)] ?? 0, id: $0.id, document: $0.document) }
            let records = hooks.outboxRecords(event, collection: collection, caller: caller, batch: batch, documents: documents)
                .sorted { $0.key < $1.key }.flatMap(\.value)
            return records + (batched?(written) ?? [])
        }
    }
}

/// Builds outbox records for the documents a change wrote (id and stored document).
typealias OutboxRecordMaker = @Sendable ([(id: BSON, document: BSONDocument)]) -> [BSONDocument]
