import Metrics
import Prometheus

/// Hook latency, failures, outbox depth and endpoint health, through swift-metrics into
/// the gateway's Prometheus registry (`GatewayMetrics`):
///
/// - `pm_hook_duration_seconds{event,outcome}` histogram of call latency
///   (`outcome`: accepted | refused)
/// - `pm_hook_failures_total{event,reason}` (`reason`: status | timeout | connection_refused | other | answer)
/// - `pm_hook_endpoint_failures_total{url,reason}` the same per endpoint
/// - `pm_hook_outbox_pending` deliveries waiting in `_pm_outbox`
/// - `pm_hook_deliveries_total{result}` post-hook deliveries (`result`: delivered | retry | dead)
/// - `pm_hook_delivery_latency_seconds` histogram from a delivery's write to its 2xx answer
/// - `pm_hook_endpoint_open{url}` 1 while an endpoint's circuit is open, else 0
///
/// A password in an endpoint's URL is masked in the `url` label.
final class HookMetrics: Sendable {
    private let factory: PrometheusMetricsFactory
    private let pending: Metrics.Gauge

    static let deliveryLatency = "pm_hook_delivery_latency_seconds"

    init(registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.deliveryLatency] = [
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
            .seconds(60), .seconds(300), .seconds(1800),
        ]
        self.factory = factory
        pending = Metrics.Gauge(label: "pm_hook_outbox_pending", factory: factory)
        pending.record(0)
    }

    func recordCall(_ event: HookEvent, url: String, duration: Duration, result: HookCallResult) {
        let outcome = result == .accepted ? "accepted" : "refused"
        Metrics.Timer(
            label: "pm_hook_duration_seconds", dimensions: [("event", event.rawValue), ("outcome", outcome)],
            factory: factory
        ).record(duration: duration)
        if case .refused(_, let kind) = result { recordFailure(event, url: url, kind: kind) }
    }

    func recordFailure(_ event: HookEvent, url: String, kind: HookCallResult.Kind) {
        Counter(
            label: "pm_hook_failures_total", dimensions: [("event", event.rawValue), ("reason", kind.rawValue)],
            factory: factory
        ).increment()
        Counter(
            label: "pm_hook_endpoint_failures_total", dimensions: [("url", HookURL.masked(url)), ("reason", kind.rawValue)],
            factory: factory
        ).increment()
    }

    func recordDelivery(_ result: String) {
        Counter(label: "pm_hook_deliveries_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// From the write that recorded a delivery to its 2xx answer.
    func recordDeliveryLatency(_ latency: Duration) {
        Metrics.Timer(label: Self.deliveryLatency, factory: factory).record(duration: max(latency, .zero))
    }

    func recordEndpointOpen(_ url: String, _ open: Bool) {
        Metrics.Gauge(label: "pm_hook_endpoint_open", dimensions: [("url", HookURL.masked(url))], factory: factory)
            .record(open ? 1 : 0)
    }

    func recordOutboxPending(_ count: Int) {
        pending.record(count)
    }
}
