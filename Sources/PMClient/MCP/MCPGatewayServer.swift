import Logging
import MCP

/// `permission-mongo mcp`: an MCP server on standard input/output whose tools call the
/// gateway. Runs until the client closes standard input. Nothing but protocol messages
/// may go to standard output: logs go to `logger` (standard error).
public struct MCPGatewayServer: Sendable {
    public static let name = "permission-mongo"
    public static let version = "1.0.0"

    let handler: GatewayToolHandler
    let logger: Logger

    public init(http: GatewayHTTP, logger: Logger) {
        self.handler = GatewayToolHandler(http: http)
        self.logger = logger
    }

    public func run() async throws {
        let server = Server(
            name: Self.name, version: Self.version, title: "Permission Mongo",
            instructions: """
                Tools for a Permission Mongo gateway (MongoDB behind schemas and role policies). \
                describe_collections lists the collections you may use and their fields; \
                batch_operations creates, updates, upserts, deletes, reads and links documents in one request.
                """,
            capabilities: .init(tools: .init(listChanged: false)))
        let handler = self.handler
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: GatewayTools.all)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            await handler.call(parameters)
        }
        let transport = AnsweringTransport(logger: logger)
        try await server.start(transport: transport)
        logger.info("MCP server ready on standard input/output")
        await server.waitUntilCompleted()
        // Answer everything asked before standard input closed (the SDK answers each request
        // in a task of its own, which stopping the server would cut short).
        await transport.waitForAnswers(limit: .seconds(handler.http.timeoutSeconds + 5))
        await server.stop()
        logger.info("standard input closed: MCP server stopped")
    }
}
