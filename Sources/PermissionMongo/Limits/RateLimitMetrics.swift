import Metrics
import Prometheus

/// `pm_rate_limited_total{scope}`: requests refused with 429 `rate_limited`, by the limit that
/// refused them (`tenant` | `user`). Kept in the gateway's Prometheus registry (the one
/// `GET /metrics` serves); both series exist from the start, at 0.
struct RateLimitMetrics: Sendable {
    private let tenant: Metrics.Counter
    private let user: Metrics.Counter

    init(registry: PrometheusCollectorRegistry) {
        let factory = PrometheusMetricsFactory(registry: registry)
        tenant = Metrics.Counter(label: "pm_rate_limited_total", dimensions: [("scope", RateLimitScope.tenant.rawValue)], factory: factory)
        user = Metrics.Counter(label: "pm_rate_limited_total", dimensions: [("scope", RateLimitScope.user.rawValue)], factory: factory)
        tenant.increment(by: 0)
        user.increment(by: 0)
    }

    func recordRefusal(_ scope: RateLimitScope) {
        switch scope {
        case .tenant: tenant.increment()
        case .user: user.increment()
        }
    }
}
