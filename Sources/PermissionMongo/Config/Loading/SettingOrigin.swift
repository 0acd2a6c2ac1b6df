import PMConfigFiles

/// Where an effective setting came from: a file (and line) or an environment variable,
/// so a problem with its value points at the right place.
struct SettingOrigin {
    var file: String?
    var line: Int?
    var variable: String?

    static func from(_ node: ConfigNode) -> SettingOrigin {
        SettingOrigin(file: node.file, line: node.line, variable: nil)
    }

    static func environment(_ variable: String) -> SettingOrigin {
        SettingOrigin(file: nil, line: nil, variable: variable)
    }

    func report(_ message: String, key: String, to problems: ProblemList) {
        let text = variable.map { "\(message) (from \($0))" } ?? message
        problems.add(file: file, line: line, key: key, text)
    }
}

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
