import Metrics
import PMMongo
import Prometheus

/// What the MongoDB pool reports (`MongoPoolObserver`), in the gateway's Prometheus registry:
/// - `pm_mongo_pool_wait_seconds` histogram: how long each driver job (an operation, or a
///   whole transaction) waited for a pooled client
/// - `pm_transaction_retries_total`: transactions run again after a transient error
struct DatabaseMetrics: MongoPoolObserver {
    static let poolWait = "pm_mongo_pool_wait_seconds"

    private let wait: Metrics.Timer
    private let retries: Metrics.Counter

    init(registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.poolWait] = [
            .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        wait = Metrics.Timer(label: Self.poolWait, factory: factory)
        retries = Metrics.Counter(label: "pm_transaction_retries_total", factory: factory)
        retries.increment(by: 0)
    }

    func clientWaited(_ wait: Duration) {
        self.wait.record(duration: wait)
    }

    func transactionRetried() {
        retries.increment()
    }
}
