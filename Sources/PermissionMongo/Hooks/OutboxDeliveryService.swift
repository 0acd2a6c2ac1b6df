import Logging
import NIOConcurrencyHelpers
import PMBSON
import ServiceLifecycle

/// Delivers post-hooks from `_pm_outbox` in the background (a service of the gateway's
/// Hummingbird application): claims due records while `lanes` lets their deliveries start
/// (`hook_concurrency` in all, an endpoint's `max_in_flight` each, none to an open
/// endpoint), and keeps claiming while calls are in flight, so a slow or dead endpoint
/// delays only its own deliveries. Each delivery ends delivered, due again after a
/// backoff, or dead after the last attempt. Woken at once when a write recorded
/// deliveries or a delivery ended, and polls otherwise (for retries that came due, for
/// circuits that may close and for records other gateway processes left).
/// At-least-once: a receiver may see an event twice (same `X-PM-Event-Id`).
struct OutboxDeliveryService: Service {
    let outbox: Outbox
    let caller: HookCaller
    /// The configured endpoints, as the last reload left them.
    let configured: ConfiguredHookEndpoints
    let backoff: RetryBackoff
    let lanes: DeliveryLanes
    let wakeup: OutboxWakeup
    let metrics: HookMetrics
    let logger: Logger

    /// Poll at least this often; shorter when retries are configured shorter.
    var pollInterval: Duration { .milliseconds(min(1000, max(20, backoff.settings.initialBackoffMs))) }

    /// A claim lasts longer than any call can (the longest timeout) plus a margin.
    var lease: Duration {
        let longest = configured.current.values.flatMap { $0.endpoints.values.flatMap { $0 } }.map(\.timeoutMs).max() ?? 5000
        return .milliseconds(longest) + .seconds(10)
    }

    func run() async throws {
        await outbox.ensureIndexes()
        for url in lanes.urls { metrics.recordEndpointOpen(url, false) }
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await loop(until: { stopping.withLockedValue { $0 } })
            } onCancel: {
                stopping.withLockedValue { $0 = true }
                wakeup.signal()
            }
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
            wakeup.signal()
        }
    }

    /// Claims and starts deliveries until stopped; waits for those in flight before it returns.
    private func loop(until stopped: @escaping @Sendable () -> Bool) async {
        await withDiscardingTaskGroup { group in
            var depthCheckedAt = ContinuousClock.now - .seconds(60)
            var unconfiguredCheckedAt = depthCheckedAt
            while !stopped() {
                var claims: [Outbox.Claim] = []
                if lanes.free > 0 {
                    // Records of endpoints no longer configured: looked for once a second.
                    let unconfigured = ContinuousClock.now - unconfiguredCheckedAt >= .seconds(1)
                    if unconfigured { unconfiguredCheckedAt = .now }
                    do {
                        let claimed = try await outbox.claim(lanes: lanes, lease: lease, unconfigured: unconfigured)
                        claims = claimed.claims
                        for (url, change) in claimed.changes { report(change, url: url) }
                    } catch {
                        logger.warning("could not read the hook outbox", metadata: ["error": "\(error)"])
                    }
                }
                for claim in claims {
                    group.addTask {
                        await deliver(claim)
                        wakeup.signal()
                    }
                }
                if ContinuousClock.now - depthCheckedAt >= .seconds(1) {
                    depthCheckedAt = .now
                    if let depth = try? await outbox.pendingCount() { metrics.recordOutboxPending(depth) }
                }
                if claims.isEmpty && !stopped() { await wakeup.wait(upTo: pollInterval) }
            }
        }
    }

    /// One attempt. Its outcome reaches the endpoint's circuit (`finish`) before the record
    /// is settled: a failed record becomes claimable again once rescheduled, and a claim in
    /// between would otherwise find the circuit closed after a failure that should open it.
    private func deliver(_ claim: Outbox.Claim) async {
        let record = claim.record
        let finish = { (succeeded: Bool?) in
            if let change = lanes.finish(claim.ticket, succeeded: succeeded, now: .now) {
                report(change, url: claim.ticket.url)
            }
        }
        let metadata: Logger.Metadata = [
            "event_id": "\(record.id.hex)", "event": "\(record.event.rawValue)", "url": "\(record.endpointURL)",
            "attempt": "\(record.attempts)",
        ]
        guard let endpoint = configured.current[record.collection]?[record.event].first(where: {
            $0.url == record.endpointURL && $0.method == record.endpointMethod
        }) else {
            finish(nil)
            do {
                try await outbox.markDead(record, now: .now(), error: "the hook is no longer configured")
                metrics.recordDelivery("dead")
                logger.error("post-hook delivery dropped: the hook is no longer configured", metadata: metadata)
            } catch {
                logger.warning("could not update the hook outbox", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            }
            return
        }
        let result = await caller.call(
            endpoint, event: record.event, body: HookRequest.body(record.payload),
            eventId: record.id.hex, attempt: record.attempts)
        finish(result == .accepted)
        do {
            switch result {
            case .accepted:
                let now = BSONDate.now()
                try await outbox.markDelivered(record, now: now)
                metrics.recordDelivery("delivered")
                if let created = record.createdAt {
                    metrics.recordDeliveryLatency(.milliseconds(now.millisecondsSince1970 - created.millisecondsSince1970))
                }
            case .refused(let reason, _) where backoff.isExhausted(afterAttempts: record.attempts):
                try await outbox.markDead(record, now: .now(), error: reason)
                metrics.recordDelivery("dead")
                logger.error(
                    "post-hook delivery given up", metadata: metadata.merging(["reason": "\(reason)"]) { a, _ in a })
            case .refused(let reason, _):
                let delay = backoff.delayMs(afterAttempts: record.attempts)
                try await outbox.reschedule(record, at: BSONDate.now().adding(.milliseconds(delay)), error: reason)
                metrics.recordDelivery("retry")
                logger.warning(
                    "post-hook delivery failed, will retry",
                    metadata: metadata.merging(["reason": "\(reason)", "retry_in_ms": "\(delay)"]) { a, _ in a })
            }
        } catch {
            // The lease runs out and the record is claimed again.
            logger.warning("could not update the hook outbox", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
        }
    }

    /// Logs a circuit's change and exports it as `pm_hook_endpoint_open{url}`.
    private func report(_ change: CircuitBreaker.Change, url: String) {
        switch change {
        case .opened:
            metrics.recordEndpointOpen(url, true)
            logger.warning(
                "hook endpoint open: deliveries paused",
                metadata: ["url": "\(url)", "open_ms": "\(Int(lanes.openFor / .milliseconds(1)))"])
        case .probing:
            logger.info("hook endpoint probed", metadata: ["url": "\(url)"])
        case .closed:
            metrics.recordEndpointOpen(url, false)
            logger.info("hook endpoint closed: deliveries resume", metadata: ["url": "\(url)"])
        }
    }
}
