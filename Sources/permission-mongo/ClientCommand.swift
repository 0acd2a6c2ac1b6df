import ArgumentParser
import PMClient

/// `--url`, `--token` and `--timeout` of the client commands.
struct GatewayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The gateway (default: $PM_URL or http://127.0.0.1:8080).", valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp("Bearer token (default: $PM_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Seconds to wait for each answer.", valueName: "seconds"))
    var timeout: Double = 120

    var resolvedURL: String { url ?? ProcessEnvironment.value("PM_URL") ?? "http://127.0.0.1:8080" }
    var resolvedToken: String { token ?? ProcessEnvironment.value("PM_TOKEN") ?? "" }
}

/// Printing a `CommandOutcome` and turning `ClientError`s into a message and an exit code.
enum ClientCommand {
    static func outcome(_ body: () async throws -> CommandOutcome) async -> CommandOutcome {
        do {
            return try await body()
        } catch let error as ClientError {
            return CommandOutcome(standardError: "error: \(error)\n", exitCode: error.exitCode)
        } catch {
            return CommandOutcome(standardError: "error: \(error)\n", exitCode: 2)
        }
    }

    static func finish(_ outcome: CommandOutcome) throws {
        if !outcome.standardOutput.isEmpty { print(outcome.standardOutput, terminator: "") }
        if !outcome.standardError.isEmpty {
            var stderr = StandardError()
            print(outcome.standardError, terminator: "", to: &stderr)
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
