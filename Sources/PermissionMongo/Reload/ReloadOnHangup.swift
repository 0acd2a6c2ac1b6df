import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on every SIGHUP (`ConfigReload`), one reload at a time, until
/// the gateway shuts down. A reload that changes `auth` brings a token verifier of its
/// own: this service runs its key-set refresh (`jwks_url`) and shuts it down at the end.
struct ReloadOnHangup: Service {
    let reload: ConfigReload

    private struct Brought: Sendable {
        var verifiers: [TokenVerifier] = []
        var refresh: Task<Void, Never>?
    }

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let brought = NIOLockedValueBox(Brought())
        try? await cancelWhenGracefulShutdown { () async -> Void in
            for await _ in hangups {
                let before = reload.live.current
                guard case .reloaded = await reload.reload() else { continue }
                let after = reload.live.current
                guard after.config.auth != before.config.auth else { continue }
                let refresh = after.verifier.refreshService().map { service in
                    Task<Void, Never> { try? await service.run() }
                }
                brought.withLockedValue { brought in
                    brought.refresh?.cancel()
                    brought.refresh = refresh
                    brought.verifiers.append(after.verifier)
                }
            }
        }
        let ended = brought.withLockedValue { $0 }
        ended.refresh?.cancel()
        for verifier in ended.verifiers {
            await verifier.shutdown()
        }
    }
}
