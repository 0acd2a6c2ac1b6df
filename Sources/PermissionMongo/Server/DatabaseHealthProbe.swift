import Logging
import ServiceLifecycle

/// Pings the backend every `interval` in the background (a service of the gateway's
/// application) and records the answer in `health`: `/readyz` reads it and never blocks on
/// the driver (docs/API.md, "Health and metrics"). A ping waits at most the server selection timeout.
struct DatabaseHealthProbe: Service {
    let store: DocumentStore
    let health: DatabaseHealth
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let ready = await store.isReachable()
                if ready != health.isReady {
                    if ready {
                        logger.notice("MongoDB answers again: ready")
                    } else {
                        logger.warning("MongoDB does not answer: not ready")
                    }
                }
                health.record(ready: ready)
                try await Task.sleep(for: interval)
            }
        }
    }
}
