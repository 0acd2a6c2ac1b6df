import PMConfigFiles

/// `auth:` → `AuthSettings`, then `PM_JWT_SECRET`.
enum AuthSettingsReader {
    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> AuthSettings {
        var secret: (text: String, origin: SettingOrigin)?
        for entry in entries {
            guard entry.name == "jwt" else {
                entry.value.reportUnknownKey(expected: ["jwt"], line: entry.keyLine)
                continue
            }
            for setting in entry.value.entries(allowed: ["secret"]) ?? [] {
                if let value = setting.value.string() { secret = (value, .from(setting.value)) }
            }
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.jwtSecret, in: environment) {
            secret = (value, .environment(EnvironmentOverrides.jwtSecret))
        }
        guard let secret else {
            problems.add(file: nil, line: nil, key: "auth.jwt.secret", "auth.jwt.secret is required (or set PM_JWT_SECRET)")
            return AuthSettings(jwtSecret: "")
        }
        if secret.text.utf8.count < AuthSettings.minimumSecretBytes {
            secret.origin.report(
                "must be at least \(AuthSettings.minimumSecretBytes) bytes for HS256 (has \(secret.text.utf8.count))",
                key: "auth.jwt.secret", to: problems)
        }
        return AuthSettings(jwtSecret: secret.text)
    }
}
