/// Settings a running gateway cannot change (docs/API.md, "Reloading the configuration"):
/// what the listening socket, its connections, the MongoDB pool, the hook callers and the
/// shutdown were built with. A reload keeps their running values and names the ones that
/// differ, to be applied by a restart.
enum RestartOnlySettings {
    /// `loaded` with the restart-only settings of `running`, and the names of those that differ.
    static func keep(from running: GatewayConfig, in loaded: GatewayConfig) -> (config: GatewayConfig, differing: [String]) {
        var config = loaded
        var differing: [String] = []
        func keep<Value: Equatable>(_ name: String, _ key: WritableKeyPath<GatewayConfig, Value>) {
            guard config[keyPath: key] != running[keyPath: key] else { return }
            differing.append(name)
            config[keyPath: key] = running[keyPath: key]
        }
        keep("server.listen", \.server.listenHost)
        keep("server.listen", \.server.listenPort)
        keep("server.header_timeout_ms", \.server.connections.headerTimeoutMs)
        keep("server.body_timeout_ms", \.server.connections.bodyTimeoutMs)
        keep("server.idle_timeout_ms", \.server.connections.idleTimeoutMs)
        keep("server.max_connections", \.server.connections.maxConnections)
        keep("server.hook_concurrency", \.server.hookConcurrency)
        keep("server.shutdown_grace_ms", \.server.shutdownGraceMs)
        keep("server.hook_max_attempts", \.server.hookDelivery.maxAttempts)
        keep("server.hook_retry_initial_ms", \.server.hookDelivery.initialBackoffMs)
        keep("server.hook_retry_max_ms", \.server.hookDelivery.maxBackoffMs)
        keep("server.hook_breaker_failures", \.server.hookDelivery.breakerFailures)
        keep("server.hook_breaker_open_ms", \.server.hookDelivery.breakerOpenMs)
        keep("server.hook_retention_days", \.server.hookDelivery.retentionDays)
        keep("database.uri", \.database.uri)
        keep("database.name", \.database.name)
        keep("database.pool_size", \.database.poolSize)
        keep("database.serialize_transactions", \.database.serializeTransactions)
        keep("database.write_concern", \.database.writeConcern)
        keep("database.max_time_ms", \.database.maxTimeMS)
        keep("database.server_selection_timeout_ms", \.database.serverSelectionTimeoutMS)
        keep("database.connect_timeout_ms", \.database.connectTimeoutMS)
        keep("database.retry_budget_ms", \.database.retryBudgetMS)
        // A database setting this list does not name yet is kept too.
        if config.database != running.database {
            differing.append("database")
            config.database = running.database
        }
        var seen: Set<String> = []
        return (config, differing.filter { seen.insert($0).inserted })
    }
}
