import PMConfigFiles
import PMMongo

/// `database:` → `DatabaseSettings`, then `PM_MONGODB_URI` and `PM_DATABASE`.
enum DatabaseSettingsReader {
    static let keys = [
        "uri", "name", "pool_size", "serialize_transactions", "write_concern", "max_time_ms",
        "server_selection_timeout_ms", "connect_timeout_ms", "retry_budget_ms",
    ]

    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> DatabaseSettings {
        var settings = DatabaseSettings(uri: "")
        var uri: (text: String, origin: SettingOrigin)?
        var name: (text: String, origin: SettingOrigin)?
        for entry in entries {
            let node = entry.value
            switch entry.name {
            case "uri":
                if let value = node.string() { uri = (value, .from(node)) }
            case "name":
                if let value = node.string() { name = (value, .from(node)) }
            case "pool_size":
                if let value = node.int(atLeast: 1) { settings.poolSize = value }
            case "serialize_transactions":
                if let value = node.bool() { settings.serializeTransactions = value }
            case "write_concern":
                if let value = WriteConcernReader.read(node) { settings.writeConcern = value }
            case "max_time_ms":
                if let value = node.int(atLeast: 1) { settings.maxTimeMS = value }
            case "server_selection_timeout_ms":
                if let value = node.int(atLeast: 1) { settings.serverSelectionTimeoutMS = value }
            case "connect_timeout_ms":
                if let value = node.int(atLeast: 1) { settings.connectTimeoutMS = value }
            case "retry_budget_ms":
                if let value = node.int(atLeast: 0) { settings.retryBudgetMS = value }
            default:
                node.reportUnknownKey(expected: keys, line: entry.keyLine)
            }
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.mongoURI, in: environment) {
            uri = (value, .environment(EnvironmentOverrides.mongoURI))
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.database, in: environment) {
            name = (value, .environment(EnvironmentOverrides.database))
        }
        if let uri {
            if uri.text.hasPrefix("mongodb://") || uri.text.hasPrefix("mongodb+srv://") {
                settings.uri = uri.text
            } else {
                uri.origin.report("must start with mongodb:// or mongodb+srv://", key: "database.uri", to: problems)
            }
        } else {
            problems.add(file: nil, line: nil, key: "database.uri", "database.uri is required (or set PM_MONGODB_URI)")
        }
        if let name {
            if let reason = invalidDatabaseName(name.text) {
                name.origin.report(reason, key: "database.name", to: problems)
            } else {
                settings.name = name.text
            }
        }
        return settings
    }

    /// MongoDB's rules for database names.
    private static func invalidDatabaseName(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count >= 64 { return "must be shorter than 64 bytes" }
        if let bad = name.first(where: { "/\\. \"$*<>:|?".contains($0) || $0 == "\0" }) {
            return "must not contain \"\(bad)\""
        }
        return nil
    }
}
