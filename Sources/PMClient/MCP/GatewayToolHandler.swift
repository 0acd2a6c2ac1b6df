import MCP
import PMBSON

/// Answers `tools/call` by calling the gateway. Every answer is the gateway's JSON as text;
/// `isError` when the HTTP status is not 2xx or the batch did not succeed.
public struct GatewayToolHandler: Sendable {
    let http: GatewayHTTP

    public init(http: GatewayHTTP) {
        self.http = http
    }

    public func call(_ parameters: CallTool.Parameters) async -> CallTool.Result {
        switch parameters.name {
        case GatewayTools.batchOperations:
            return await batchOperations(parameters.arguments ?? [:])
        case GatewayTools.describeCollections:
            return await forward { () throws(ClientError) in try await http.send("GET", "/_collections") }
        default:
            return Self.error("unknown tool \"\(parameters.name)\" (tools: \(GatewayTools.batchOperations), \(GatewayTools.describeCollections))")
        }
    }

    func batchOperations(_ arguments: [String: Value]) async -> CallTool.Result {
        let request: BatchRequest
        let key: IdempotencyKey?
        do {
            request = try Self.batchRequest(arguments)
            key = try Self.idempotencyKey(arguments)
        } catch {
            return Self.error(error.description)
        }
        return await forward { () throws(ClientError) in try await http.post("/batch", request.body, idempotencyKey: key) }
    }

    /// The optional `idempotency_key` argument.
    static func idempotencyKey(_ arguments: [String: Value]) throws(ClientError) -> IdempotencyKey? {
        switch arguments["idempotency_key"] {
        case nil, .null?: return nil
        case .string(let value)?: return try IdempotencyKey(validating: value, option: "idempotency_key")
        default: throw .input("idempotency_key must be a string")
        }
    }

    /// The batch in the tool's arguments: `operations` (an array, or JSON text of one) and `options`.
    static func batchRequest(_ arguments: [String: Value]) throws(ClientError) -> BatchRequest {
        var body = BSONDocument()
        switch arguments["operations"] {
        case .string(let text)?:
            // Some clients pass nested arguments as JSON text.
            body.append("operations", .array(try OperationsInput.parse(Array(text.utf8), origin: "operations").operations))
        case let operations?:
            body.append("operations", ValueConversion.bson(operations))
        case nil:
            throw .input("operations is required: an array of operations")
        }
        if let options = arguments["options"], options != .null {
            body.append("options", ValueConversion.bson(options))
        }
        return try OperationsInput.parse(body.jsonBytes, origin: "arguments")
    }

    private func forward(_ send: () async throws(ClientError) -> GatewayReply) async -> CallTool.Result {
        let reply: GatewayReply
        do {
            reply = try await send()
        } catch {
            return Self.error(error.description)
        }
        let document = reply.document
        let failed = !reply.isSuccess || document?.bool("success") == false
        guard document != nil else {
            return Self.error(ClientError.notJSON(status: reply.status, excerpt: reply.excerpt).description)
        }
        var content: [Tool.Content] = [.text(text: reply.text, annotations: nil, _meta: nil)]
        if reply.isReplayed {
            content.append(.text(text: Self.replayedText, annotations: nil, _meta: nil))
        }
        return CallTool.Result(content: content, isError: failed)
    }

    static let replayedText =
        "Idempotent-Replayed: true. This is the stored answer of an earlier call with the same idempotency_key; nothing ran again."

    static func error(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }
}
