import NIOConcurrencyHelpers
import PMBSON

/// The batch-mode hooks of a mixed batch that runs in one transaction and stops at its
/// first failure (atomic, or validate-only without `continue_on_error`): one call per
/// collection and event for the whole request instead of one per operation. The
/// operations call their document-mode hooks as they run and leave their documents here
/// (`index`: the operation's); once all ran, `checkPreHooks` makes the pre-hook calls
/// (the first refused operation fails the batch as if it had failed when it ran) and
/// `recordDeliveries` writes one outbox record per endpoint, in the batch's transaction.
final class MixedBatchHooks: Sendable {
    /// What one operation of the batch hands over.
    struct Operation: Sendable {
        let batch: MixedBatchHooks
        let index: Int

        /// The endpoints of `event` to call now (document mode); `entries` are kept for the
        /// batch-mode ones.
        func callNow(
            _ event: HookEvent, collection: String, endpoints: [HookEndpoint], entries: [HookEntry]
        ) -> [HookEndpoint] {
            guard endpoints.contains(where: { $0.mode == .batch }) else { return endpoints }
            let kept = entries.map { HookEntry(index: index, fields: $0.fields) }
            batch.state.withLockedValue { $0.pre[Key(collection: collection, event: event), default: []] += kept }
            return endpoints.filter { $0.mode == .document }
        }

        /// Keeps written documents for the batch-mode `post_*` endpoints.
        func keepWritten(_ event: HookEvent, collection: String, documents: [(id: BSON, document: BSONDocument)]) {
            batch.state.withLockedValue { $0.post[Key(collection: collection, event: event), default: []] += documents }
        }
    }

    private struct Key: Hashable, Comparable {
        var collection: String
        var event: HookEvent

        static func < (a: Key, b: Key) -> Bool {
            (a.collection, a.event.rawValue) < (b.collection, b.event.rawValue)
        }
    }

    private struct State {
        var pre: [Key: [HookEntry]] = [:]
        var post: [Key: [(id: BSON, document: BSONDocument)]] = [:]
    }

    let hooks: GatewayHooks
    let caller: Caller
    /// One batch id for every call of the request.
    let batchId = ObjectId.generate().hex
    let dryRun: Bool
    private let state = NIOLockedValueBox(State())

    init(hooks: GatewayHooks, caller: Caller, dryRun: Bool) {
        self.hooks = hooks
        self.caller = caller
        self.dryRun = dryRun
    }

    func operation(_ index: Int) -> Operation {
        Operation(batch: self, index: index)
    }

    /// Calls the batch-mode pre-hooks with the documents of the operations before `limit`:
    /// the first operation refused, and why.
    func checkPreHooks(before limit: Int) async -> (operation: Int, failure: DocumentFailure)? {
        let pending = state.withLockedValue { $0.pre }
        var first: (operation: Int, failure: DocumentFailure)?
        for key in pending.keys.sorted() {
            let entries = (pending[key] ?? []).filter { $0.index < limit }
            let endpoints = hooks.endpoints(key.event, of: key.collection).filter { $0.mode == .batch }
            let verdicts = await hooks.preHooks.check(
                key.event, endpoints: endpoints, context: context(key, size: entries.count), entries: entries)
            for (entry, verdict) in zip(entries, verdicts) {
                if let verdict, entry.index < first?.operation ?? Int.max { first = (entry.index, verdict) }
            }
        }
        return first
    }

    /// One outbox record per batch-mode endpoint (and `max_documents` part) of each
    /// collection and event, in `transaction`.
    func recordDeliveries(in transaction: StoreTransaction) async throws {
        let written = state.withLockedValue { $0.post }
        let records = written.keys.sorted().flatMap { key in
            hooks.batchOutboxRecords(key.event, context(key, size: written[key]?.count ?? 0), documents: written[key] ?? [])
        }.map { $0.encoded() }
        guard !records.isEmpty else { return }
        try await transaction.run { connection in
            try connection.insertAll(records, into: OutboxRecord.collection, what: "outbox")
        }
    }

    private func context(_ key: Key, size: Int) -> HookContext {
        HookContext(collection: key.collection, caller: caller, batch: HookBatch(id: batchId, size: size), dryRun: dryRun)
    }
}
