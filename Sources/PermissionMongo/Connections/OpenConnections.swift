import NIOConcurrencyHelpers

/// The client connections open at once, up to `server.max_connections` (docs/API.md,
/// "Connections"). Shared by every event loop of one server.
final class OpenConnections: Sendable {
    let limit: Int
    private let count = NIOLockedValueBox(0)
    private let metrics: ConnectionMetrics

    init(limit: Int, metrics: ConnectionMetrics) {
        self.limit = limit
        self.metrics = metrics
    }

    /// Counts a new connection in; false (and not counted) when `limit` are open.
    func admit() -> Bool {
        let admitted = count.withLockedValue { open in
            guard open < limit else { return false }
            open += 1
            metrics.recordOpen(open)
            return true
        }
        if !admitted { metrics.recordRefusal() }
        return admitted
    }

    func release() {
        count.withLockedValue { open in
            open -= 1
            metrics.recordOpen(open)
        }
    }

    var current: Int { count.withLockedValue { $0 } }
}
