import PMConfigFiles

/// `server:` → `ServerSettings`, then `PM_LISTEN`.
enum ServerSettingsReader {
    static let keys = [
        "max_batch_size", "max_body_bytes", "hook_concurrency", "listen",
        "hook_max_attempts", "hook_retry_initial_ms", "hook_retry_max_ms", "hook_breaker_failures",
        "hook_breaker_open_ms", "hook_retention_days",
    ]

    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> ServerSettings {
        var settings = ServerSettings()
        var listen: (text: String, origin: SettingOrigin)?
        for entry in entries {
            let node = entry.value
            switch entry.name {
            case "max_batch_size":
                if let value = node.int(atLeast: 1) { settings.maxBatchSize = value }
            case "max_body_bytes":
                if let value = node.int(atLeast: 1) { settings.maxBodyBytes = value }
            case "hook_concurrency":
                if let value = node.int(atLeast: ServerSettings.minimumHookConcurrency) { settings.hookConcurrency = value }
            case "hook_max_attempts":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.maxAttempts = value }
            case "hook_retry_initial_ms":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.initialBackoffMs = value }
            case "hook_retry_max_ms":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.maxBackoffMs = value }
            case "hook_breaker_failures":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.breakerFailures = value }
            case "hook_breaker_open_ms":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.breakerOpenMs = value }
            case "hook_retention_days":
                if let value = node.int(atLeast: 1) { settings.hookDelivery.retentionDays = value }
            case "listen":
                if let value = node.string() { listen = (value, .from(node)) }
            default:
                node.reportUnknownKey(expected: keys, line: entry.keyLine)
            }
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.listen, in: environment) {
            listen = (value, .environment(EnvironmentOverrides.listen))
        }
        if let listen {
            switch ListenAddress.parse(listen.text) {
            case .success(let address):
                settings.listenHost = address.host
                settings.listenPort = address.port
            case .failure(let error):
                listen.origin.report(error.message, key: "server.listen", to: problems)
            }
        }
        return settings
    }
}
