import Foundation
import Logging
import PMBSON
import PMCurl

/// Everything hooks need at run time, shared by all requests: the configured endpoints,
/// the HTTP callers (pre-hook calls and post-hook deliveries each have their own libcurl
/// multi handle, so deliveries never hold up a request's pre-hooks), the outbox, the
/// worker's lanes and wake-up, and metrics.
struct GatewayHooks: Sendable {
    /// The endpoints requests call and record deliveries for.
    let endpoints: [String: CollectionHooks]
    /// The same, for the delivery worker, which outlives a reload (`reconfigured`).
    let configured: ConfiguredHookEndpoints
    let caller: HookCaller
    let deliveryCaller: HookCaller
    let outbox: Outbox
    let lanes: DeliveryLanes
    let wakeup: OutboxWakeup
    let metrics: HookMetrics
    let delivery: HookDeliverySettings
    let logger: Logger

    init(
        config: GatewayConfig, clients: (pre: CurlClient, delivery: CurlClient), store: DocumentStore,
        metrics: HookMetrics, logger: Logger
    ) {
        endpoints = config.hooks
        configured = ConfiguredHookEndpoints(config.hooks)
        caller = HookCaller(client: clients.pre, metrics: metrics, logger: logger)
        deliveryCaller = HookCaller(client: clients.delivery, metrics: metrics, logger: logger)
        delivery = config.server.hookDelivery
        outbox = Outbox(
            store: store, owner: "\(ProcessIdentity.name)/\(ObjectId.generate().hex)",
            retentionDays: delivery.retentionDays, logger: logger)
        lanes = DeliveryLanes(
            endpoints: Self.postEndpoints(config.hooks), capacity: config.server.hookConcurrency, breakerFailures: delivery.breakerFailures,
            breakerOpen: .milliseconds(delivery.breakerOpenMs))
        wakeup = OutboxWakeup()
        self.metrics = metrics
        self.logger = logger
    }

    private init(copying hooks: GatewayHooks, endpoints: [String: CollectionHooks]) {
        self.endpoints = endpoints
        configured = hooks.configured
        caller = hooks.caller
        deliveryCaller = hooks.deliveryCaller
        outbox = hooks.outbox
        lanes = hooks.lanes
        wakeup = hooks.wakeup
        metrics = hooks.metrics
        delivery = hooks.delivery
        logger = hooks.logger
    }

    /// The same callers, outbox, worker and metrics with the endpoints of `config` (a
    /// reload): requests that started before keep the endpoints they had; the worker
    /// delivers to the new ones from now on.
    func reconfigured(_ config: GatewayConfig) -> GatewayHooks {
        configured.replace(with: config.hooks)
        lanes.reconfigure(endpoints: Self.postEndpoints(config.hooks))
        return GatewayHooks(copying: self, endpoints: config.hooks)
    }

    private static func postEndpoints(_ hooks: [String: CollectionHooks]) -> [HookEndpoint] {
        hooks.values.flatMap { hooks in HookEvent.allCases.filter { !$0.isPre }.flatMap { hooks[$0] } }
    }

    func endpoints(_ event: HookEvent, of collection: String) -> [HookEndpoint] {
        endpoints[collection]?[event] ?? []
    }

    var preHooks: PreHookRunner { PreHookRunner(caller: caller) }

    /// Outbox records for the document-mode `post_*` endpoints of `collection`, per
    /// document position; empty when the event has none.
    func outboxRecords(
        _ event: HookEvent, collection: String, caller: Caller, batch: HookBatch,
        documents: [(index: Int, id: BSON, document: BSONDocument)]
    ) -> [Int: [BSONDocument]] {
        let targets = endpoints(event, of: collection).filter { $0.mode == .document }
        guard !targets.isEmpty else { return [:] }
        let now = BSONDate.now()
        var records: [Int: [BSONDocument]] = [:]
        for written in documents {
            let payload = HookPayload.post(
                event, collection: collection, caller: caller, index: written.index, batch: batch, id: written.id,
                document: written.document)
            records[written.index] = targets.map { endpoint in
                OutboxRecord.make(
                    event: event, collection: collection, tenantId: caller.tenantId, docId: written.id,
                    endpoint: endpoint, payload: payload, now: now)
            }
        }
        return records
    }

    /// Whether `event` of `collection` has batch-mode endpoints.
    func hasBatchEndpoints(_ event: HookEvent, of collection: String) -> Bool {
        endpoints(event, of: collection).contains { $0.mode == .batch }
    }

    /// Outbox records for the batch-mode `post_*` endpoints: one per endpoint and
    /// `max_documents` documents.
    func batchOutboxRecords(
        _ event: HookEvent, _ context: HookContext, documents: [(id: BSON, document: BSONDocument)]
    ) -> [BSONDocument] {
        guard !documents.isEmpty else { return [] }
        let now = BSONDate.now()
        var records: [BSONDocument] = []
        for endpoint in endpoints(event, of: context.collection) where endpoint.mode == .batch {
            for start in stride(from: 0, to: documents.count, by: endpoint.maxDocuments) {
                let part = documents[start..<min(start + endpoint.maxDocuments, documents.count)]
                let entries = part.map { HookEntry.written(index: 0, id: $0.id, document: $0.document) }
                records.append(OutboxRecord.make(
                    event: event, collection: context.collection, tenantId: context.caller.tenantId,
                    docIds: part.map(\.id), endpoint: endpoint, payload: HookPayload.batch(event, context, entries),
                    now: now))
            }
        }
        return records
    }

    /// Whether any collection has `post_*` hooks, i.e. writes record deliveries.
    var recordsDeliveries: Bool {
        endpoints.values.contains { hooks in
            [HookEvent.postCreate, .postUpdate, .postDelete].contains { !(hooks[$0].isEmpty) }
        }
    }

    /// Tells the worker that deliveries were recorded.
    func deliverSoon() { wakeup.signal() }

    func deliveryService() -> OutboxDeliveryService {
        OutboxDeliveryService(
            outbox: outbox, caller: deliveryCaller, configured: configured, backoff: RetryBackoff(settings: delivery),
            lanes: lanes, wakeup: wakeup, metrics: metrics, logger: logger)
    }
}

/// `host:pid`, to tell gateway processes apart in `_pm_outbox.lease_owner`.
enum ProcessIdentity {
    static let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
}
