import PMConfigFiles
import PMSchema

/// The gateway's configuration directory read on the client's side: the collections'
/// schemas and `server.max_batch_size`, nothing else (the client neither needs nor checks
/// the database, authentication, policies or hooks).
public struct ClientConfig: Sendable {
    public var schemas: [String: CollectionSchema]
    /// The gateway's default when the files do not set it (docs/API.md, "server").
    public var maxBatchSize = 1000

    /// The top-level keys of a configuration file (the gateway reports unknown ones).
    static let sections = ["server", "database", "auth", "collections", "policies", "hooks"]

    public static func load(directory: String) throws(ClientError) -> ClientConfig {
        let problems = ProblemList()
        let sections = ConfigSections.merge(ConfigDirectory.read(directory, problems: problems), names: Self.sections, problems: problems)
        var config = ClientConfig(schemas: [:])
        let reader = SchemaReader()
        for entry in sections["collections"] {
            config.schemas[entry.name] = reader.collectionSchema(collection: entry.value)
        }
        for entry in sections["server"] where entry.name == "max_batch_size" {
            if let value = entry.value.int(atLeast: 1) { config.maxBatchSize = value }
        }
        guard problems.isEmpty else {
            let lines = problems.inFileOrder.map { "  \($0)" }.joined(separator: "\n")
            throw .input("--config \(directory): \(problems.problems.count) configuration problem(s):\n\(lines)")
        }
        return config
    }

    /// The schema of `collection`, or a message naming the configured ones.
    public static func schema(of collection: String, in config: ClientConfig, directory: String) throws(ClientError) -> CollectionSchema {
        guard let found = config.schemas[collection] else {
            let names = config.schemas.keys.sorted().joined(separator: ", ")
            throw .input("--config \(directory): no collection \"\(collection)\" (configured: \(names.isEmpty ? "none" : names))")
        }
        return found
    }
}
