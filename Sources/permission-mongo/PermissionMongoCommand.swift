import ArgumentParser
import PermissionMongo

@main
struct PermissionMongoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permission-mongo",
        abstract: "A MongoDB gateway with schemas, role policies, hooks, versions and atomic batches.",
        subcommands: [Serve.self, Check.self, Token.self, OpenAPI.self, Batch.self, Import.self, MCPCommand.self]
    )
}

/// `--config DIR`, defaulting to `$PM_CONFIG_DIR` or `./policies`.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration directory (default: $PM_CONFIG_DIR or ./policies).")
    var config: String?

    var directory: String {
        config ?? ProcessEnvironment.value("PM_CONFIG_DIR") ?? "policies"
    }

    /// The configuration, or every problem printed and exit code 2.
    func load() throws -> GatewayConfig {
        do {
            return try ConfigLoader.load(directory: directory, environment: ProcessEnvironment.all)
        } catch {
            printProblems(error, directory: directory)
            throw ExitCode(2)
        }
    }
}
