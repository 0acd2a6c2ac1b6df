import Metrics
import Prometheus

/// Everything the gateway counts, in one Prometheus registry of its own, served as text at
/// `GET /metrics` (README, "Metrics", lists every metric). Per gateway rather than the
/// process-wide `MetricsSystem`, so several gateways in one process keep separate books.
/// Labels come from route templates, configured collections and fixed words, never from
/// tenants, users or ids.
final class GatewayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let requests: RequestMetrics
    let documents: DocumentMetrics
    /// The MongoDB pool's observer.
    let database: DatabaseMetrics
    let hooks: HookMetrics
    private let configReloads: (ok: Metrics.Counter, error: Metrics.Counter)

    init() {
        registry = PrometheusCollectorRegistry()
        requests = RequestMetrics(registry: registry)
        documents = DocumentMetrics(registry: registry)
        database = DatabaseMetrics(registry: registry)
        hooks = HookMetrics(registry: registry)
        let factory = PrometheusMetricsFactory(registry: registry)
        configReloads = (
            Metrics.Counter(label: "pm_config_reloads_total", dimensions: [("result", "ok")], factory: factory),
            Metrics.Counter(label: "pm_config_reloads_total", dimensions: [("result", "error")], factory: factory))
        configReloads.ok.increment(by: 0)
        configReloads.error.increment(by: 0)
    }

    /// `pm_config_reloads_total{result}`: a reload of the configuration applied (`ok`) or
    /// refused (`error`).
    func recordConfigReload(succeeded: Bool) {
        (succeeded ? configReloads.ok : configReloads.error).increment()
    }

    /// Prometheus text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
