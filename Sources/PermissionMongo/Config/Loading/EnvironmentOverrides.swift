/// The environment variables that override file settings (docs/API.md, "Environment overrides"). Empty values count as unset.
enum EnvironmentOverrides {
    static let mongoURI = "PM_MONGODB_URI"
    static let database = "PM_DATABASE"
    static let jwtSecret = "PM_JWT_SECRET"
    static let listen = "PM_LISTEN"

    static func value(_ variable: String, in environment: [String: String]) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }
}
