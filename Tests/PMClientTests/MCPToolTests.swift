import MCP
import PMBSON
import Testing
@testable import PMClient

@Suite("MCP tools")
struct MCPToolTests {
    @Test func batchOperationsSchemaFollowsTheContract() throws {
        let tool = try #require(GatewayTools.all.first { $0.name == "batch_operations" })
        let properties = try #require(tool.inputSchema.objectValue?["properties"]?.objectValue)
        #expect(tool.inputSchema.objectValue?["required"] == ["operations"])
        let operation = try #require(properties["operations"]?.objectValue?["items"]?.objectValue?["properties"]?.objectValue)
        #expect(operation["op"]?.objectValue?["enum"] == ["create", "update", "upsert", "delete", "get", "list", "link", "unlink"])
        #expect(Set(operation.keys) == ["op", "collection", "id", "data", "match", "filter", "limit", "rel_type", "source", "target"])
        #expect(operation["source"]?.objectValue?["required"] == ["collection", "id"])
        let options = try #require(properties["options"]?.objectValue?["properties"]?.objectValue)
        #expect(Set(options.keys) == ["atomic", "validate_only", "return_records", "continue_on_error"])
        #expect(GatewayTools.all.map(\.name) == ["batch_operations", "describe_collections"])
    }

    @Test func argumentsBecomeTheBatchBody() throws {
        let arguments: [String: Value] = [
            "operations": [
                ["op": "create", "collection": "orders", "data": ["total": 5, "paid": true, "rate": 0.5, "tags": ["a"]]],
                ["op": "get", "collection": "orders", "id": ["$ref": 0]],
            ],
            "options": ["atomic": false],
        ]
        let request = try GatewayToolHandler.batchRequest(arguments)
        #expect(request.body.jsonString == """
            {"operations":[{"collection":"orders","data":{"paid":true,"rate":0.5,"tags":["a"],"total":5},"op":"create"},\
            {"collection":"orders","id":{"$ref":0},"op":"get"}],"options":{"atomic":false}}
            """)
    }

    @Test func operationsGivenAsJSONTextAreAccepted() throws {
        let request = try GatewayToolHandler.batchRequest(["operations": .string(#"[{"op":"list","collection":"orders"}]"#)])
        #expect(request.operations.count == 1)
        #expect(request.op(at: 0) == "list")
    }

    @Test func badArgumentsAreToolErrors() {
        #expect(throws: ClientError.input("operations is required: an array of operations")) {
            try GatewayToolHandler.batchRequest([:])
        }
        #expect(throws: ClientError.input(#"arguments: "operations" must be an array"#)) {
            try GatewayToolHandler.batchRequest(["operations": ["op": "get"]])
        }
        #expect(throws: ClientError.input("arguments: there are no operations")) {
            try GatewayToolHandler.batchRequest(["operations": []])
        }
    }

    @Test func anOptionalIdempotencyKey() throws {
        let tool = try #require(GatewayTools.all.first { $0.name == "batch_operations" })
        let properties = try #require(tool.inputSchema.objectValue?["properties"]?.objectValue)
        #expect(properties["idempotency_key"]?.objectValue?["type"] == "string")
        #expect(try GatewayToolHandler.idempotencyKey([:]) == nil)
        #expect(try GatewayToolHandler.idempotencyKey(["idempotency_key": .null]) == nil)
        #expect(try GatewayToolHandler.idempotencyKey(["idempotency_key": "order-7"])?.value == "order-7")
        #expect(throws: ClientError.usage(
            "idempotency_key must be 1 to 255 printable ASCII characters, not starting or ending with a space"
        )) { try GatewayToolHandler.idempotencyKey(["idempotency_key": ""]) }
        #expect(throws: ClientError.input("idempotency_key must be a string")) {
            try GatewayToolHandler.idempotencyKey(["idempotency_key": 7])
        }
    }
}
