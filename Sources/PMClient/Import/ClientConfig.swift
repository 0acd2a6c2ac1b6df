import PermissionMongo

/// The gateway's configuration directory read on the client's side, for its schemas and
/// `max_batch_size`. Settings only the server needs (database URI, JWT secret) may be
/// missing: placeholders stand in for them.
public enum ClientConfig {
    public static func load(directory: String, environment: [String: String] = [:]) throws(ClientError) -> GatewayConfig {
        var environment = environment
        environment["PM_MONGODB_URI"] = "mongodb://127.0.0.1:27017"
        environment["PM_JWT_SECRET"] = String(repeating: "x", count: 64)
        do {
            return try ConfigLoader.load(directory: directory, environment: environment)
        } catch {
            let problems = error.problems.map { "  \($0)" }.joined(separator: "\n")
            throw .input("--config \(directory): \(error.problems.count) configuration problem(s):\n\(problems)")
        }
    }

    /// The schema of `collection`, or a message naming the configured ones.
    public static func schema(of collection: String, in config: GatewayConfig, directory: String) throws(ClientError) -> CollectionSchema {
        guard let found = config.collections[collection] else {
            let names = config.collections.keys.sorted().joined(separator: ", ")
            throw .input("--config \(directory): no collection \"\(collection)\" (configured: \(names.isEmpty ? "none" : names))")
        }
        return found.schema
    }
}
