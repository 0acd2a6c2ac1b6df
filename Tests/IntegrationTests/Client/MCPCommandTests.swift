import Foundation
import PMBSON
import Testing

@Suite("permission-mongo mcp (a scripted MCP client over stdio)")
struct MCPCommandTests {
    @Test func listsToolsAndRunsBatchOperationsAgainstTheGateway() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let session = try MCPSession(arguments: ["--url", try api.url, "--token", token])
            defer { session.terminate() }

            let initialize = try await session.request(id: 1, "initialize", params: """
                {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"integration-test","version":"1.0"}}
                """.replacingOccurrences(of: "\n", with: ""))
            let serverInfo = initialize.document("result")?.document("serverInfo")
            #expect(serverInfo?.string("name") == "permission-mongo")
            #expect(initialize.document("result")?.document("capabilities")?.document("tools") != nil)
            try session.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)

            let list = try await session.request(id: 2, "tools/list")
            let tools = list.document("result")?.documents("tools") ?? []
            #expect(tools.compactMap { $0.string("name") } == ["batch_operations", "describe_collections"])
            let schema = tools.first?.document("inputSchema")
            #expect(schema?.strings("required") == ["operations"])
            let opEnum = schema?.document("properties")?.document("operations")?.document("items")?
                .document("properties")?.document("op")?.strings("enum")
            #expect(opEnum == ["create", "update", "upsert", "delete", "get", "list", "link", "unlink"])

            let call = try await session.request(id: 3, "tools/call", params: #"""
                {"name":"batch_operations","arguments":{"operations":[
                  {"op":"create","collection":"products","data":{"name":"Made by MCP","price":12.5}},
                  {"op":"get","collection":"products","id":{"$ref":0}}],"options":{"atomic":true}}}
                """#.replacingOccurrences(of: "\n", with: ""))
            let result = try #require(call.document("result"))
            #expect(result["isError"] == .bool(false))
            let text = try #require(result.documents("content").first?.string("text"))
            let batch = try JSONReader.parseDocument(text)
            #expect(batch["success"] == .bool(true))
            let results = batch.documents("results")
            #expect(results.map { $0.int("status") } == [201, 200])
            let id = try #require(results.first?.string("id"))
            let stored = try await api.get("/products/\(id)", token: token)
            #expect(stored.status == .ok)
            #expect(stored.json.string("name") == "Made by MCP")
            #expect(stored.json.string("created_by") == "user-123")

            let failing = try await session.request(id: 4, "tools/call", params: #"""
                {"name":"batch_operations","arguments":{"operations":[{"op":"create","collection":"products","data":{"price":-1}}]}}
                """#)
            #expect(failing.document("result")?["isError"] == .bool(true))
            let failingText = failing.document("result")?.documents("content").first?.string("text") ?? ""
            #expect(try JSONReader.parseDocument(failingText)["success"] == .bool(false))

            let describe = try await session.request(id: 5, "tools/call", params: #"{"name":"describe_collections","arguments":{}}"#)
            #expect(describe.document("result")?["isError"] == .bool(false))
            let described = try JSONReader.parseDocument(describe.document("result")?.documents("content").first?.string("text") ?? "")
            let products = try #require(described.documents("data").first { $0.string("name") == "products" })
            #expect(products.document("schema")?.document("fields")?.document("price")?.string("type") == "number")
            #expect(products.strings("actions").contains("create"))

            let unknown = try await session.request(id: 6, "tools/call", params: #"{"name":"drop_database","arguments":{}}"#)
            #expect(unknown.document("result")?["isError"] == .bool(true))

            let (status, stderr) = try await session.finish()
            #expect(status == 0, "stderr: \(stderr)")
            // Standard output carries protocol messages only.
            for line in session.stdoutLines {
                #expect((try? JSONReader.parseDocument(line))?.string("jsonrpc") == "2.0", "not a JSON-RPC message: \(line)")
            }
        }
    }

    @Test func answersWhatWasAskedBeforeStandardInputClosed() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let session = try MCPSession(arguments: ["--url", try api.url, "--token", token])
            defer { session.terminate() }
            try session.send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
            try session.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            try session.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"batch_operations","arguments":{"operations":[{"op":"create","collection":"products","data":{"name":"Last words","price":1}}]}}}"#)
            let (status, _) = try await session.finish()
            #expect(status == 0)
            let answer = try await session.response(id: 2, timeout: .seconds(1))
            #expect(answer.document("result")?["isError"] == .bool(false))
            #expect(try await api.list("products", token: token).count == 1)
        }
    }
}
