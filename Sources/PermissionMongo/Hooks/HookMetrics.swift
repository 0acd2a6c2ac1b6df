import Metrics
import Prometheus

/// Hook latency, failures and outbox depth, through swift-metrics into this gateway's own
/// Prometheus registry (served as text at `GET /metrics`). Per gateway rather than the
/// process-wide `MetricsSystem`, so several gateways in one process keep separate books.
///
/// - `pm_hook_duration_seconds{event,outcome}` histogram of call latency
///   (`outcome`: accepted | refused)
/// - `pm_hook_failures_total{event,reason}` (`reason`: status | timeout | connection_refused | other)
/// - `pm_hook_outbox_pending` deliveries waiting in `_pm_outbox`
/// - `pm_hook_deliveries_total{result}` post-hook deliveries (`result`: delivered | retry | dead)
final class HookMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let pending: Metrics.Gauge

    init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        pending = Metrics.Gauge(label: "pm_hook_outbox_pending", factory: factory)
        pending.record(0)
    }

    func recordCall(_ event: HookEvent, duration: Duration, result: HookCallResult) {
        let outcome = result == .accepted ? "accepted" : "refused"
        Metrics.Timer(
            label: "pm_hook_duration_seconds", dimensions: [("event", event.rawValue), ("outcome", outcome)],
            factory: factory
        ).record(duration: duration)
        if case .refused(_, let kind) = result {
            Counter(
                label: "pm_hook_failures_total", dimensions: [("event", event.rawValue), ("reason", kind.rawValue)],
                factory: factory
            ).increment()
        }
    }

    func recordDelivery(_ result: String) {
        Counter(label: "pm_hook_deliveries_total", dimensions: [("result", result)], factory: factory).increment()
    }

    func recordOutboxPending(_ count: Int) {
        pending.record(count)
    }

    /// Prometheus text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
