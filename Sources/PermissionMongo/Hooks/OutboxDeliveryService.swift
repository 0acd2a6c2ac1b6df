import Logging
import NIOConcurrencyHelpers
import PMBSON
import ServiceLifecycle

/// Delivers post-hooks from `_pm_outbox` in the background (a service of the gateway's
/// Hummingbird application): claims due records, calls their endpoints concurrently,
/// then marks each delivered, due again after a backoff, or dead after the last
/// attempt. Woken at once when a write recorded deliveries, and polls otherwise (for
/// retries that came due and for records other gateway processes left).
/// At-least-once: a receiver may see an event twice (same `X-PM-Event-Id`).
struct OutboxDeliveryService: Service {
    let outbox: Outbox
    let caller: HookCaller
    let hooks: [String: CollectionHooks]
    let backoff: RetryBackoff
    let wakeup: OutboxWakeup
    let metrics: HookMetrics
    let logger: Logger
    /// Records claimed per round.
    let batchLimit: Int

    /// Poll at least this often; shorter when retries are configured shorter.
    var pollInterval: Duration { .milliseconds(min(1000, max(20, backoff.settings.initialBackoffMs))) }

    /// A claim lasts longer than any call can (the longest timeout) plus a margin.
    var lease: Duration {
        let longest = hooks.values.flatMap { $0.endpoints.values.flatMap { $0 } }.map(\.timeoutMs).max() ?? 5000
        return .milliseconds(longest) + .seconds(10)
    }

    func run() async throws {
        await outbox.ensureIndexes()
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

    private func loop(until stopped: () -> Bool) async {
        var depthCheckedAt = ContinuousClock.now - .seconds(60)
        while !stopped() {
            var claimed: [OutboxRecord] = []
            do {
                claimed = try await outbox.claim(limit: batchLimit, lease: lease, now: .now())
            } catch {
                logger.warning("could not read the hook outbox", metadata: ["error": "\(error)"])
            }
            if !claimed.isEmpty {
                await withTaskGroup(of: Void.self) { group in
                    for record in claimed { group.addTask { await deliver(record) } }
                }
            }
            if ContinuousClock.now - depthCheckedAt >= .seconds(1) {
                depthCheckedAt = .now
                if let depth = try? await outbox.pendingCount() { metrics.recordOutboxPending(depth) }
            }
            if claimed.count < batchLimit && !stopped() { await wakeup.wait(upTo: pollInterval) }
        }
    }

    private func deliver(_ record: OutboxRecord) async {
        let metadata: Logger.Metadata = [
            "event_id": "\(record.id.hex)", "event": "\(record.event.rawValue)", "url": "\(record.endpointURL)",
            "attempt": "\(record.attempts)",
        ]
        do {
            guard let endpoint = hooks[record.collection]?[record.event].first(where: {
                $0.url == record.endpointURL && $0.method == record.endpointMethod
            }) else {
                try await outbox.markDead(record, now: .now(), error: "the hook is no longer configured")
                metrics.recordDelivery("dead")
                logger.error("post-hook delivery dropped: the hook is no longer configured", metadata: metadata)
                return
            }
            let result = await caller.call(
                endpoint, event: record.event, body: HookRequest.body(record.payload),
                eventId: record.id.hex, attempt: record.attempts)
            switch result {
            case .accepted:
                try await outbox.markDelivered(record, now: .now())
                metrics.recordDelivery("delivered")
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
}
