import ArgumentParser
import Logging
import PMClient

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve MCP (Model Context Protocol) on standard input/output with tools that call a running gateway.",
        discussion: """
            Tools: batch_operations (POST /batch) and describe_collections (GET /_collections). \
            Standard output carries only protocol messages; logs go to standard error.
            """)

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "permission-mongo.mcp")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let outcome = await ClientCommand.outcome {
            try await GatewayHTTP.using(url: gateway.resolvedURL, token: gateway.resolvedToken, timeoutSeconds: gateway.timeout) { http in
                try await MCPGatewayServer(http: http, logger: logger).run()
                return CommandOutcome()
            }
        }
        try ClientCommand.finish(outcome)
    }
}
