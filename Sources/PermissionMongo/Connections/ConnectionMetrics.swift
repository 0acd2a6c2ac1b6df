import Metrics
import Prometheus

/// Client connections in the gateway's Prometheus registry (`GET /metrics`):
/// `pm_http_connections_open` (a gauge) and `pm_http_connections_refused_total`
/// (connections closed at once because `server.max_connections` were open).
struct ConnectionMetrics: Sendable {
    private let open: Metrics.Gauge
    private let refused: Metrics.Counter

    init(registry: PrometheusCollectorRegistry) {
        let factory = PrometheusMetricsFactory(registry: registry)
        open = Metrics.Gauge(label: "pm_http_connections_open", factory: factory)
        refused = Metrics.Counter(label: "pm_http_connections_refused_total", factory: factory)
        open.record(0)
        refused.increment(by: 0)
    }

    func recordOpen(_ count: Int) {
        open.record(count)
    }

    func recordRefusal() {
        refused.increment()
    }
}
