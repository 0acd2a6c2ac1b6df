import Logging
import PMConfigFiles

/// Where a running gateway reads its configuration again: the directory and the
/// environment it was started with.
public struct ConfigReloadSource: Sendable {
    public var directory: String
    public var environment: [String: String]

    public init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }
}

/// Re-reads the configuration directory and swaps it in whole (docs/API.md, "Reloading
/// the configuration"): checked as `permission-mongo check` does, refused with every
/// problem logged when it has any (the running one stays), restart-only settings kept
/// at their running values and named, declared indexes created, and then the new
/// gateway handed to the requests that start after. Requests already running finish
/// with the one they started with.
struct ConfigReload: Sendable {
    let source: ConfigReloadSource
    let live: LiveGateway
    let logger: Logger

    enum Outcome: Sendable, Equatable {
        /// Swapped in; the restart-only settings that differ and were kept.
        case reloaded(needingRestart: [String])
        case refused
    }

    func reload() async -> Outcome {
        let running = live.current
        let outcome = await load(over: running)
        running.reloadRecorded(succeeded: outcome != .refused)
        return outcome
    }

    private func load(over running: Gateway) async -> Outcome {
        let loaded: GatewayConfig
        do {
            loaded = try ConfigLoader.load(directory: source.directory, environment: source.environment)
        } catch {
            logger.error(
                "configuration reload refused: \(error.problems.count) problem(s); the running configuration stays",
                metadata: ["directory": "\(source.directory)", "problems": .array(error.problems.map { "\($0)" })])
            return .refused
        }
        let (config, needingRestart) = RestartOnlySettings.keep(from: running.config, in: loaded)
        do {
            try await IndexSetup(collections: Array(config.collections.values), store: running.store, logger: logger).ensure()
            let gateway = try await running.reconfigured(config)
            if gateway.hooks.recordsDeliveries && !running.hooks.recordsDeliveries {
                await gateway.hooks.outbox.ensureIndexes()
            }
            live.replace(with: gateway)
        } catch let error as IndexSetupError {
            logger.error(
                "configuration reload refused: \(error.problems.count) index problem(s); the running configuration stays",
                metadata: ["directory": "\(source.directory)", "problems": .array(error.problems.map { "\($0)" })])
            return .refused
        } catch {
            logger.error(
                "configuration reload refused; the running configuration stays",
                metadata: ["directory": "\(source.directory)", "error": "\(error)"])
            return .refused
        }
        if !needingRestart.isEmpty {
            logger.warning(
                "configuration reloaded; these settings changed and need a restart, their running values are kept",
                metadata: ["settings": .array(needingRestart.map { "\($0)" })])
        }
        logger.notice(
            "configuration reloaded",
            metadata: ["directory": "\(source.directory)", "collections": "\(config.collections.keys.sorted())"])
        return .reloaded(needingRestart: needingRestart)
    }
}

extension Gateway {
    /// Counts a reload in `pm_config_reloads_total{result}`.
    func reloadRecorded(succeeded: Bool) {
        metrics.recordConfigReload(succeeded: succeeded)
    }
}
