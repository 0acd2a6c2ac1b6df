import PMConfigFiles

/// `auth:` → `AuthSettings`, then `PM_JWT_SECRET`.
enum AuthSettingsReader {
    static let keys = ["jwt", "admin_roles"]

    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> AuthSettings {
        var secret: (text: String, origin: SettingOrigin)?
        var adminRoles = AuthSettings.defaultAdminRoles
        for entry in entries {
            switch entry.name {
            case "jwt":
                for setting in entry.value.entries(allowed: ["secret"]) ?? [] {
                    if let value = setting.value.string() { secret = (value, .from(setting.value)) }
                }
            case "admin_roles":
                if let roles = entry.value.stringList() { adminRoles = roles }
            default:
                entry.value.reportUnknownKey(expected: keys, line: entry.keyLine)
            }
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.jwtSecret, in: environment) {
            secret = (value, .environment(EnvironmentOverrides.jwtSecret))
        }
        guard let secret else {
            problems.add(file: nil, line: nil, key: "auth.jwt.secret", "auth.jwt.secret is required (or set PM_JWT_SECRET)")
            return AuthSettings(jwtSecret: "", adminRoles: adminRoles)
        }
        if secret.text.utf8.count < AuthSettings.minimumSecretBytes {
            secret.origin.report(
                "must be at least \(AuthSettings.minimumSecretBytes) bytes for HS256 (has \(secret.text.utf8.count))",
                key: "auth.jwt.secret", to: problems)
        }
        return AuthSettings(jwtSecret: secret.text, adminRoles: adminRoles)
    }
}
