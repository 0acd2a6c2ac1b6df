import PMConfigFiles

/// Loads the gateway configuration (docs/API.md, "Configuration"): every `*.yml` / `*.yaml` file of
/// a directory, merged by top-level key, then environment overrides. Every problem
/// found is reported, not just the first.
public enum ConfigLoader {
    public static func load(directory: String, environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        let problems = ProblemList()
        let sources = ConfigDirectory.read(directory, problems: problems)
        return try load(sources: sources, environment: environment, problems: problems)
    }

    /// The same from file contents already read (`file` names them in problems).
    public static func load(sources: [ConfigSource], environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        try load(sources: sources, environment: environment, problems: ProblemList())
    }

    /// The top-level keys of a configuration file.
    static let sections = ["server", "database", "auth", "collections", "policies", "hooks"]

    private static func load(sources: [ConfigSource], environment: [String: String], problems: ProblemList) throws(ConfigError) -> GatewayConfig {
        let sections = ConfigSections.merge(sources, names: Self.sections, problems: problems)
        let server = ServerSettingsReader.read(sections["server"], environment: environment, problems: problems)
        let database = DatabaseSettingsReader.read(sections["database"], environment: environment, problems: problems)
        let auth = AuthSettingsReader.read(sections["auth"], environment: environment, problems: problems)

        var collections: [String: CollectionConfig] = [:]
        for entry in sections["collections"] {
            collections[entry.name] = CollectionConfigReader.read(entry)
        }
        var policies: [String: CollectionPolicy] = [:]
        for entry in sections["policies"] where isConfigured(entry, in: collections) {
            policies[entry.name] = PolicyReader.read(entry, schema: collections[entry.name]!.schema)
        }
        var hooks: [String: CollectionHooks] = [:]
        for entry in sections["hooks"] where isConfigured(entry, in: collections) {
            hooks[entry.name] = HooksReader.read(entry)
        }

        guard problems.isEmpty else { throw ConfigError(problems: problems.inFileOrder) }
        return GatewayConfig(server: server, database: database, auth: auth, collections: collections, policies: policies, hooks: hooks)
    }

    private static func isConfigured(_ entry: ConfigSections.Entry, in collections: [String: CollectionConfig]) -> Bool {
        guard collections[entry.name] == nil else { return true }
        entry.value.report("collection \"\(entry.name)\" is not configured under collections", line: entry.keyLine)
        return false
    }
}
