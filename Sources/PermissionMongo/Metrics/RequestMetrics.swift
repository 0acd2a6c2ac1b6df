import HTTPTypes
import Metrics
import Prometheus

/// Requests as the router saw them, in the gateway's Prometheus registry:
/// - `pm_http_requests_total{route,method,status}`
/// - `pm_http_request_duration_seconds{route,method}` histogram, until the answer is ready
/// - `pm_http_requests_in_flight` gauge: requests being handled now, the scrape that reads
///   it included
///
/// `route` is the template a request matched (`/{collection}/{id}`), never its path, and
/// `unmatched` for one that matched none (404 `no such route`); a method other than the
/// standard ones is `other`.
struct RequestMetrics: Sendable {
    static let unmatched = "unmatched"
    static let duration = "pm_http_request_duration_seconds"

    private struct Key: Hashable, Sendable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Handles: Sendable {
        var requests: Metrics.Counter
        var duration: Metrics.Timer
    }

    private let handles: MetricHandles<Key, Handles>
    private let inFlight: Metrics.Meter

    private static let methods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

    init(registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.duration] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        handles = MetricHandles { [factory] key in
            Handles(
                requests: Metrics.Counter(
                    label: "pm_http_requests_total",
                    dimensions: [("route", key.route), ("method", key.method), ("status", String(key.status))],
                    factory: factory),
                duration: Metrics.Timer(
                    label: Self.duration, dimensions: [("route", key.route), ("method", key.method)], factory: factory))
        }
        inFlight = Metrics.Meter(label: "pm_http_requests_in_flight", factory: factory)
        inFlight.set(0)
    }

    func started() {
        inFlight.increment()
    }

    /// A request that `started()` was answered with `status` after `duration`; `route`: the
    /// template it matched, nil when none.
    func finished(route: String?, method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Duration) {
        inFlight.decrement()
        let key = Key(
            route: route ?? Self.unmatched, method: Self.methods.contains(method) ? method.rawValue : "other",
            status: status.code)
        let handles = handles[key]
        handles.requests.increment()
        handles.duration.record(duration: duration)
    }
}
