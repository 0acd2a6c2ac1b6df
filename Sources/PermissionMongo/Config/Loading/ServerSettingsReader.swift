import PMConfigFiles

/// `server:` → `ServerSettings`, then `PM_LISTEN`.
enum ServerSettingsReader {
    /// The settings that are whole numbers of at least `minimum`.
    static var counts: [(key: String, minimum: Int, setting: WritableKeyPath<ServerSettings, Int>)] { [
        ("max_batch_size", 1, \.maxBatchSize),
        ("max_body_bytes", 1, \.maxBodyBytes),
        ("hook_concurrency", ServerSettings.minimumHookConcurrency, \.hookConcurrency),
        ("hook_max_attempts", 1, \.hookDelivery.maxAttempts),
        ("hook_retry_initial_ms", 1, \.hookDelivery.initialBackoffMs),
        ("hook_retry_max_ms", 1, \.hookDelivery.maxBackoffMs),
        ("hook_breaker_failures", 1, \.hookDelivery.breakerFailures),
        ("hook_breaker_open_ms", 1, \.hookDelivery.breakerOpenMs),
        ("hook_retention_days", 1, \.hookDelivery.retentionDays),
        ("idempotency_ttl_hours", 1, \.idempotencyTTLHours),
        ("max_regex_length", 1, \.maxRegexLength),
        ("max_atomic_match", 1, \.maxAtomicMatch),
        ("header_timeout_ms", 1, \.connections.headerTimeoutMs),
        ("body_timeout_ms", 1, \.connections.bodyTimeoutMs),
        ("idle_timeout_ms", 1, \.connections.idleTimeoutMs),
        ("max_connections", 1, \.connections.maxConnections),
        ("shutdown_grace_ms", 0, \.shutdownGraceMs),
    ] }

    static var keys: [String] {
        counts.map(\.key) + ["listen", "rate_limits", "tenant_max_in_flight", "metrics_token", "openapi"]
    }

    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> ServerSettings {
        var settings = ServerSettings()
        var listen: (text: String, origin: SettingOrigin)?
        for entry in entries {
            let node = entry.value
            if let count = counts.first(where: { $0.key == entry.name }) {
                if let value = node.int(atLeast: count.minimum) { settings[keyPath: count.setting] = value }
                continue
            }
            switch entry.name {
            case "listen":
                if let value = node.string() { listen = (value, .from(node)) }
            case "tenant_max_in_flight":
                if let value = node.int(atLeast: 0) { settings.tenantMaxInFlight = value }
            case "rate_limits":
                settings.rateLimits = RateLimitSettingsReader.read(node)
            case "metrics_token":
                guard let token = node.string() else { break }
                if let problem = MetricsToken.problem(with: token) {
                    node.report(problem)
                } else {
                    settings.metricsToken = token
                }
            case "openapi":
                if let access = Self.openAPIAccess(node) { settings.openAPI = access }
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

    /// `authenticated`, `public` or `off`. YAML reads a plain `off` as a boolean, so that
    /// boolean is taken as written.
    private static func openAPIAccess(_ node: ConfigNode) -> OpenAPIAccess? {
        guard node.tagName == .bool else { return node.oneOf(OpenAPIAccess.self) }
        let written = node.node.scalar?.string ?? ""
        if written.lowercased() == OpenAPIAccess.off.rawValue { return .off }
        node.report("must be one of \(OpenAPIAccess.allCases.map(\.rawValue).joined(separator: ", ")) (got \(written))")
        return nil
    }
}
