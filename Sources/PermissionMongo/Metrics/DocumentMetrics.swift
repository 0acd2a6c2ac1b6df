import Metrics
import Prometheus

/// Documents per outcome and batch sizes, in the gateway's Prometheus registry:
/// - `pm_documents_total{collection,operation,outcome}`: each document a create, update,
///   upsert or delete wrote or refused (`DocumentOutcomes.Outcome`)
/// - `pm_batch_size{collection,operation}` histogram: documents per batch request
/// - `pm_changes_pushed_down_total{collection,operation}`: batch updates and deletes MongoDB
///   applied without the gateway reading the documents (docs/API.md, "Updates and deletes
///   pushed down")
struct DocumentMetrics: Sendable {
    static let batchSize = "pm_batch_size"

    private let documents: MetricHandles<DocumentOutcomes.Key, Metrics.Counter>
    private let batches: MetricHandles<DocumentOutcomes.Batch, Metrics.Recorder>
    private let pushedDown: MetricHandles<DocumentOutcomes.Batch, Metrics.Counter>

    init(registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[Self.batchSize] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]
        documents = MetricHandles { [factory] key in
            Metrics.Counter(
                label: "pm_documents_total",
                dimensions: [
                    ("collection", key.collection), ("operation", key.operation.rawValue), ("outcome", key.outcome.rawValue),
                ],
                factory: factory)
        }
        batches = MetricHandles { [factory] key in
            Metrics.Recorder(
                label: Self.batchSize, dimensions: [("collection", key.collection), ("operation", key.operation.rawValue)],
                aggregate: true, factory: factory)
        }
        pushedDown = MetricHandles { [factory] key in
            Metrics.Counter(
                label: "pm_changes_pushed_down_total",
                dimensions: [("collection", key.collection), ("operation", key.operation.rawValue)], factory: factory)
        }
    }

    func record(_ outcomes: DocumentOutcomes) {
        for (key, count) in outcomes.counts { documents[key].increment(by: count) }
        for (batch, size) in outcomes.batchSizes { batches[batch].record(size) }
        for (batch, count) in outcomes.pushedDown { pushedDown[batch].increment(by: count) }
    }
}
