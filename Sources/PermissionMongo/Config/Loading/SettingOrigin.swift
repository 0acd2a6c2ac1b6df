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
