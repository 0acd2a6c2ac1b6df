import Foundation
import Logging
import PMBSON
import PMCurl

/// Everything hooks need at run time, shared by all requests: the configured endpoints,
/// the HTTP caller (one libcurl multi handle), the outbox, the worker's wake-up and metrics.
struct GatewayHooks: Sendable {
    let endpoints: [String: CollectionHooks]
    let caller: HookCaller
    let outbox: Outbox
    let wakeup: OutboxWakeup
    let metrics: HookMetrics
    let delivery: HookDeliverySettings
    let concurrency: Int
    let logger: Logger

    init(config: GatewayConfig, client: CurlClient, store: DocumentStore, logger: Logger) {
        let metrics = HookMetrics()
        endpoints = config.hooks
        caller = HookCaller(client: client, metrics: metrics, logger: logger)
        outbox = Outbox(store: store, owner: "\(ProcessIdentity.name)/\(ObjectId.generate().hex)", logger: logger)
        wakeup = OutboxWakeup()
        self.metrics = metrics
        delivery = config.server.hookDelivery
        concurrency = config.server.hookConcurrency
        self.logger = logger
    }

    func endpoints(_ event: HookEvent, of collection: String) -> [HookEndpoint] {
        endpoints[collection]?[event] ?? []
    }

    var preHooks: PreHookRunner { PreHookRunner(caller: caller) }

    /// Outbox records for the `post_*` endpoints of `collection`, per document position;
    /// empty when the event has no endpoints.
    func outboxRecords(
        _ event: HookEvent, collection: String, caller: Caller, batch: HookBatch,
        documents: [(index: Int, id: BSON, document: BSONDocument)]
    ) -> [Int: [BSONDocument]] {
        let targets = endpoints(event, of: collection)
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
            outbox: outbox, caller: caller, hooks: endpoints, backoff: RetryBackoff(settings: delivery),
            wakeup: wakeup, metrics: metrics, logger: logger, batchLimit: concurrency)
    }
}

/// `host:pid`, to tell gateway processes apart in `_pm_outbox.lease_owner`.
enum ProcessIdentity {
    static let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
}
