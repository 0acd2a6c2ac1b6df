import Foundation
import PMConfigFiles
@testable import PermissionMongo

/// A 40-byte secret for configurations that are not about the secret.
let configTestSecret = "test-secret-0123456789-0123456789-abcdef"

/// The settings every valid configuration needs, as one file.
let configBaseYAML = """
    database:
      uri: mongodb://127.0.0.1:27017
    auth:
      jwt:
        secret: \(configTestSecret)

    """

/// Loads files given as (name, text), named `cfg/<name>` in problems.
func loadTestConfig(_ files: [(String, String)], environment: [String: String] = [:]) throws(ConfigError) -> GatewayConfig {
    try ConfigLoader.load(sources: files.map { ConfigSource(file: "cfg/" + $0.0, text: $0.1) }, environment: environment)
}

/// The problems of a configuration that must not load; empty when it loads.
func configProblems(_ files: [(String, String)], environment: [String: String] = [:]) -> [ConfigProblem] {
    do {
        _ = try loadTestConfig(files, environment: environment)
        return []
    } catch {
        return error.problems
    }
}

/// Problems as their one-line descriptions.
func configProblemLines(_ files: [(String, String)], environment: [String: String] = [:]) -> [String] {
    configProblems(files, environment: environment).map(\.description)
}

/// `base.yml` plus one file `c.yml` holding `yaml`.
func withBaseConfig(_ yaml: String) -> [(String, String)] {
    [("base.yml", configBaseYAML), ("c.yml", yaml)]
}

/// `/work/main/policies`, found from this source file's location.
let examplePoliciesDirectory: String = {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("policies")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("products.yml").path) { return candidate.path }
    }
    return "policies"
}()
