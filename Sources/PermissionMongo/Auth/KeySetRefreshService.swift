import ServiceLifecycle

/// Loads the `jwks_url` key set when the server starts (in the background: the server
/// serves, and `/readyz` says not ready, until it is loaded) and again every `jwks_refresh_s`.
struct KeySetRefreshService: Service {
    let keys: RemoteKeySet
    let interval: Duration

    func run() async throws {
        await keys.refresh()
        while true {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await keys.refresh()
        }
    }
}
