import Foundation
import HTTPTypes
import PMMongo
import PMTestSupport
import PermissionMongo
import Testing

/// An operation the backend stops at its `maxTimeMS` (MaxTimeMSExpired, code 50, raised by
/// SecantusDB's `failCommand` fail point scoped to one gateway's appName) is 503 `timeout`
/// naming `database.max_time_ms`: on a read, in a mixed batch's operation, on an update and
/// on a create in a transaction; nothing is written and the next request is served.
@Suite struct MaxTimeTests {
    static let yaml = GatewayHarness.productsYAML + "\ndatabase:\n  max_time_ms: 2500\n"

    /// A gateway whose appName the fail points are scoped to, the pool that arms them, a
    /// token, and one stored product, "Kept" at price 1 (its id).
    static func withKeptProduct(
        _ name: String,
        _ body: @escaping @Sendable (GatewayClient, _ admin: MongoClientPool, _ appName: String, _ token: String, _ id: String)
            async throws -> Void
    ) async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-\(name)-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(yaml: Self.yaml, appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let token = try await api.token()
                let created = try await api.post("/products", token: token, #"{"name":"Kept","price":1}"#)
                try await body(api, admin, appName, token, try #require(created.json.string("id")))
            }
        }
    }

    @Test func anExpiredQueryIsTimeoutNamingTheLimit() async throws {
        try await Self.withKeptProduct("maxtime") { api, admin, appName, token, id in
            let read = try await Self.meetingFindFailPoint(appName: appName, pool: admin) {
                try await api.get("/products/\(id)", token: token)
            } met: { $0.status != .ok }
            Self.expectTimeout(read)
            #expect(try await api.get("/products/\(id)", token: token).status == .ok)

            // In a mixed batch the operation's result says so.
            let batch = try await Self.meetingFindFailPoint(appName: appName, pool: admin) {
                try await api.post(
                    "/batch", token: token, #"{"operations":[{"op":"get","collection":"products","id":"\#(id)"}]}"#)
            } met: { $0.json.documents("results").first?.int("status") != 200 }
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

    /// A mixed batch that is not atomic runs in its `Idempotency-Key`'s transaction, which
    /// MongoDB ends at a failed statement: a database failure there is the whole request's,
    /// nothing is written, and the key runs the batch again.
    @Test func aDatabaseFailureInAKeysMixedBatchFailsItWhole() async throws {
        try await Self.withKeptProduct("maxtime-mixed") { api, admin, appName, token, id in
            let body = """
                {"operations":[{"op":"update","collection":"products","id":"\(id)","data":{"price":2}},
                               {"op":"create","collection":"products","data":{"name":"Added","price":3}}],
                 "options":{"atomic":false,"continue_on_error":true}}
                """

            try await TestBackend.failCommand(["update"], errorCode: 50, appName: appName, pool: admin)
            let failed = try await api.send(.post, "/batch", token: token, body: body, headers: IdempotencyTests.key("mixed"))
            Self.expectTimeout(failed)
            #expect(try await api.get("/products", token: token).json.int("count") == 1)
            #expect(try await api.get("/products/\(id)", token: token).json.int("price") == 1)

            let again = try await api.send(.post, "/batch", token: token, body: body, headers: IdempotencyTests.key("mixed"))
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.statuses == [200, 201], "\(again.text)")
            #expect(try await api.get("/products", token: token).json.int("count") == 2)
            #expect(try await api.get("/products/\(id)", token: token).json.int("price") == 2)
        }
    }

    /// Arms a `find` fail point for the gateway's appName and sends `request`, again while
    /// the answer shows it did not meet the fail point: the gateway's delivery worker polls
    /// `_pm_outbox` with finds of its own under the same appName and may take it first. A
    /// read changes nothing, so sending it again is harmless.
    static func meetingFindFailPoint(
        appName: String, pool: MongoClientPool, _ request: () async throws -> GatewayClient.Reply,
        met: (GatewayClient.Reply) -> Bool
    ) async throws -> GatewayClient.Reply {
        var reply: GatewayClient.Reply
        var attempts = 0
        repeat {
            attempts += 1
            try await TestBackend.failCommand(["find"], errorCode: 50, appName: appName, pool: pool)
            reply = try await request()
        } while !met(reply) && attempts < 10
        return reply
    }

    static func expectTimeout(_ reply: GatewayClient.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .serviceUnavailable, "\(reply.text)", sourceLocation: sourceLocation)
        let error = reply.json.document("error")
        #expect(error?.string("code") == "timeout", "\(reply.text)", sourceLocation: sourceLocation)
        #expect(error?.string("message")?.contains("database.max_time_ms (2500 ms)") == true, sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == "1", sourceLocation: sourceLocation)
    }
}
