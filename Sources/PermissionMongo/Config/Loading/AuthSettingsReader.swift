import Foundation
import PMConfigFiles
import Yams

/// `auth:` → `AuthSettings` (docs/API.md, "Tokens"), then `PM_JWT_SECRET`. A `jwks_file` is
/// read here, relative to the configuration directory; a `jwks_url` only when the server runs.
enum AuthSettingsReader {
    static let keys = ["jwt", "claims", "admin_roles"]
    static let jwtKeys = ["secret", "jwks_url", "jwks_file", "jwks_refresh_s", "issuer", "audience", "leeway_s"]
    static let claimKeys = ["user", "tenant", "roles"]

    static func read(_ entries: [ConfigSections.Entry], environment: [String: String], problems: ProblemList) -> AuthSettings {
        var settings = AuthSettings(jwtSecret: nil)
        var secretOrigin: SettingOrigin?
        var jwtLine: (file: String, line: Int?)?
        var namesKeySource = false
        for entry in entries {
            switch entry.name {
            case "jwt":
                jwtLine = (entry.value.file, entry.keyLine)
                for setting in entry.value.entries(allowed: jwtKeys) ?? [] {
                    namesKeySource = namesKeySource || ["secret", "jwks_url", "jwks_file"].contains(setting.name)
                    readJWT(setting.name, setting.value, into: &settings, secretOrigin: &secretOrigin)
                }
            case "claims":
                for setting in entry.value.entries(allowed: claimKeys) ?? [] {
                    guard let text = setting.value.string() else { continue }
                    do {
                        let path = try ClaimPath(parsing: text)
                        switch setting.name {
                        case "user": settings.claims.user = path
                        case "tenant": settings.claims.tenant = path
                        default: settings.claims.roles = path
                        }
                    } catch {
                        setting.value.report(error.description)
                    }
                }
            case "admin_roles":
                if let roles = entry.value.stringList() { settings.adminRoles = roles }
            default:
                entry.value.reportUnknownKey(expected: keys, line: entry.keyLine)
            }
        }
        if let value = EnvironmentOverrides.value(EnvironmentOverrides.jwtSecret, in: environment) {
            settings.jwtSecret = value
            secretOrigin = .environment(EnvironmentOverrides.jwtSecret)
        }
        if let secret = settings.jwtSecret, let secretOrigin, secret.utf8.count < AuthSettings.minimumSecretBytes {
            secretOrigin.report(
                "must be at least \(AuthSettings.minimumSecretBytes) bytes for HS256 (has \(secret.utf8.count))",
                key: "auth.jwt.secret", to: problems)
        }
        // A key source that is named but unusable has its own problem above.
        if settings.jwtSecret == nil && !namesKeySource {
            problems.add(
                file: jwtLine?.file, line: jwtLine?.line, key: "auth.jwt",
                "needs a key source: secret (or PM_JWT_SECRET), jwks_url or jwks_file")
        }
        return settings
    }

    private static func readJWT(
        _ name: String, _ value: ConfigNode, into settings: inout AuthSettings, secretOrigin: inout SettingOrigin?
    ) {
        switch name {
        case "secret":
            if let text = value.string() {
                settings.jwtSecret = text
                secretOrigin = .from(value)
            }
        case "jwks_url":
            guard let url = value.nonEmptyString() else { return }
            if let problem = HookURL.problem(with: url) { value.report(problem); return }
            settings.jwksURL = url
        case "jwks_file":
            guard let path = value.nonEmptyString() else { return }
            settings.jwksFile = readKeySet(path, value)
        case "jwks_refresh_s":
            if let seconds = value.int(atLeast: 1) { settings.jwksRefreshSeconds = seconds }
        case "issuer":
            if let list = stringOrList(value) { settings.issuers = list }
        case "audience":
            if let list = stringOrList(value) { settings.audiences = list }
        default:
            if let seconds = value.int(atLeast: 0) { settings.leewaySeconds = seconds }
        }
    }

    /// One non-empty string or a non-empty list of them.
    private static func stringOrList(_ value: ConfigNode) -> [String]? {
        if case .sequence(let items) = value.node {
            if items.isEmpty { value.report("must not be an empty list"); return nil }
            return value.stringList()
        }
        guard case .scalar = value.node else { value.report("must be a string or a list of strings"); return nil }
        return value.nonEmptyString().map { [$0] }
    }

    /// The key set of `path` (relative to the directory of the file that names it).
    private static func readKeySet(_ path: String, _ value: ConfigNode) -> JWKSFile? {
        let resolved = path.hasPrefix("/")
            ? path : URL(fileURLWithPath: value.file).deletingLastPathComponent().appendingPathComponent(path).path
        guard let data = FileManager.default.contents(atPath: resolved) else {
            value.report("cannot read \(resolved)")
            return nil
        }
        let bytes = [UInt8](data)
        do {
            let keys = try VerificationKeys.decode(bytes)
            guard keys.keys.contains(where: { $0.keyIdentifier != nil && !TokenAlgorithm.fitting($0).isEmpty }) else {
                value.report("\(resolved) has no usable key (each needs a kid and an RSA, P-256, P-384 or Ed25519 key)")
                return nil
            }
            return JWKSFile(path: resolved, keys: keys, bytes: bytes)
        } catch {
            value.report("\(resolved): \(error.description)")
            return nil
        }
    }
}
