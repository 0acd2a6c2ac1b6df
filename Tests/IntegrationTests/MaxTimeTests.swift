import Foundation
import HTTPTypes
import PMTestSupport
import PermissionMongo
import Testing

/// An operation the backend stops at its `maxTimeMS` (MaxTimeMSExpired, code 50, raised by
/// SecantusDB's `failCommand` fail point scoped to one gateway's appName) is 503 `timeout`
/// naming `database.max_time_ms`: on a read, in a mixed batch's operation, on an update and
/// on a create in a transaction; nothing is written and the next request is served.
@Suite struct MaxTimeTests {
    static let yaml = GatewayHarness.productsYAML + "\ndatabase:\n  max_time_ms: 2500\n"

    @Test func anExpiredQueryIsTimeoutNamingTheLimit() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-maxtime-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(yaml: Self.yaml, appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let token = try await api.token()
                let created = try await api.post("/products", token: token, #"{"name":"Kept","price":1}"#)
                let id = try #require(created.json.string("id"))

                try await TestBackend.failCommand(["find"], errorCode: 50, appName: appName, pool: admin)
                let read = try await api.get("/products/\(id)", token: token)
                Self.expectTimeout(read)
                #expect(try await api.get("/products/\(id)", token: token).status == .ok)

                // In a mixed batch the operation's result says so.
                try await TestBackend.failCommand(["find"], errorCode: 50, appName: appName, pool: admin)
                let batch = try await api.post(
                    "/batch", token: token, #"{"operations":[{"op":"get","collection":"products","id":"\#(id)"}]}"#)
                let result = batch.json.documents("results").first
                #expect(result?.int("status") == 503, "\(batch.text)")
                #expect(result?.document("error")?.string("code") == "timeout", "\(batch.text)")
                #expect(result?.document("error")?.string("message")?.contains("database.max_time_ms (2500 ms)") == true)

                try await TestBackend.failCommand(["update"], errorCode: 50, appName: appName, pool: admin)
                let update = try await api.send(.put, "/products/\(id)", token: token, body: #"{"price":2}"#)
                Self.expectTimeout(update)

                // With an Idempotency-Key the create runs in a transaction.
                try await TestBackend.failCommand(["insert"], errorCode: 50, appName: appName, pool: admin)
                let keyed = try await api.send(
                    .post, "/products/batch", token: token, body: #"{"documents":[{"name":"Never","price":1}]}"#,
                    headers: IdempotencyTests.key("maxtime"))
                Self.expectTimeout(keyed)

                let list = try await api.get("/products", token: token)
                #expect(list.json.int("count") == 1, "\(list.text)")
                #expect(try await api.get("/products/\(id)", token: token).json.int("price") == 1)
            }
        }
    }

    static func expectTimeout(_ reply: GatewayClient.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .serviceUnavailable, "\(reply.text)", sourceLocation: sourceLocation)
        let error = reply.json.document("error")
        #expect(error?.string("code") == "timeout", "\(reply.text)", sourceLocation: sourceLocation)
        #expect(error?.string("message")?.contains("database.max_time_ms (2500 ms)") == true, sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == "1", sourceLocation: sourceLocation)
    }
}
