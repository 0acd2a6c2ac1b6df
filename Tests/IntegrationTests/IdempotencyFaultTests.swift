import Foundation
import HTTPTypes
import NIOCore
import PMBSON
import PMCurl
import PMMongo
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// Faults around `Idempotency-Key`: a lost reply, a commit whose answer is lost, a second
/// request with the key while the first runs, and a gateway killed between its commit and
/// its answer. Driven by SecantusDB's `failCommand` (scoped to one gateway's appName) and by
/// the `permission-mongo` binary run as a process.
@Suite struct IdempotencyFaultTests {
    static func key(_ value: String) -> HTTPFields { IdempotencyTests.key(value) }

    /// A connection closed around a write outside any transaction: the gateway cannot know
    /// whether it was applied, and says so.
    @Test func aLostReplyIsOutcomeUnknown() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-unknown-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                try await Self.closeConnection(on: "insert", times: 2, appName: appName, pool: admin)
                let token = try await api.token()
                let reply = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"Maybe","price":1}]}"#)
                #expect(reply.status == .serviceUnavailable, "\(reply.text)")
                #expect(reply.json.document("error")?.string("code") == "outcome_unknown")
                #expect(reply.headers[.retryAfter] == "1")
            }
        }
    }

    /// With a key the write runs in a transaction: a closed connection on the insert reruns
    /// it, one on the commit retries the commit; either way each document is stored once and
    /// a retry replays the answer.
    @Test func closedConnectionsInTheKeysTransactionAreRetriedWithoutDuplicates() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-commit-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let token = try await api.token()
                for (command, name) in [("insert", "Insert"), ("commitTransaction", "Commit")] {
                    try await Self.closeConnection(on: command, times: 1, appName: appName, pool: admin)
                    let body = #"{"documents":[{"name":"\#(name) one","price":1},{"name":"\#(name) two","price":2}]}"#
                    let first = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key(command))
                    #expect(first.status == .created, "\(command): \(first.text)")
                    let again = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key(command))
                    #expect(again.text == first.text)
                    #expect(again.headers[IdempotencyTests.replayed] == "true")
                }
                #expect(try await api.get("/products", token: token).json.int("count") == 4)
            }
        }
    }

    /// While a request with a key runs (its pre-hook answers after a pause), the same request
    /// again is 409 with `Retry-After`; once the first has answered, it is replayed.
    @Test func aKeyInUseIsBusyThenReplayed() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.sleep(.seconds(2), at: "/slow")
        let yaml = HooksHarness.yaml(port: receiver.port, hooks: [.init(event: "pre_create", path: "/slow", timeoutMs: 10_000)])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let body = HooksHarness.documents(["Slow one"])
            // On a connection of its own: the test client sends one request at a time.
            let port = try #require(api.client.port)
            let curl = try CurlClient(maxConcurrent: 1)
            let first = Task {
                try await curl.perform(CurlRequest(
                    url: "http://127.0.0.1:\(port)/products/batch",
                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy")],
                    body: Array(body.utf8), timeoutMilliseconds: 20_000))
            }
            _ = try await receiver.waitForCalls(to: "/slow", count: 1, timeout: .seconds(20))
            let busy = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("busy"))
            #expect(busy.status == .conflict)
            #expect(busy.json.document("error")?.string("code") == "idempotency_in_progress")
            #expect(busy.headers[.retryAfter] == "1")
            let answered = try await first.value
            await curl.shutdown()
            #expect(answered.status == 201)
            let replayed = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("busy"))
            #expect(replayed.text == String(decoding: answered.body, as: UTF8.self))
            #expect(replayed.headers[IdempotencyTests.replayed] == "true")
            #expect(receiver.calls(to: "/slow").count == 1)
        }
    }

    /// The gateway process dies after its commit, before it answers; started again, the
    /// retry gets the committed answer and the collection holds each document once.
    @Test func aGatewayKilledBeforeItAnswersReplaysAfterRestart() async throws {
        let database = TestBackend.uniqueDatabaseName()
        let config = try TemporaryDirectory(["gateway.yml": GatewayHarness.productsYAML])
        defer { config.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["admin"])
        let body = #"{"documents":[{"name":"Crash one","price":1},{"name":"Crash two","price":2}]}"#
        let key = [(name: "Idempotency-Key", value: "crash")]

        let crashing = try await GatewayProcess.start(
            configDirectory: config.path, database: database, environment: ["PM_FAULT_EXIT_AFTER_IDEMPOTENT_COMMIT": "1"])
        defer { crashing.stop() }
        await #expect(throws: CurlError.self) {
            _ = try await crashing.send("POST", "/products/batch", token: token, body: body, headers: key)
        }
        #expect(try await crashing.stops(within: .seconds(10)))

        let restarted = try await GatewayProcess.start(configDirectory: config.path, database: database)
        defer { restarted.stop() }
        let replay = try await restarted.send("POST", "/products/batch", token: token, body: body, headers: key)
        #expect(replay.status == 201)
        let created = try JSONReader.parseDocument(replay.body).strings("created")
        #expect(created.count == 2)
        let listed = try await restarted.send("GET", "/products?limit=10", token: token)
        let stored = try JSONReader.parseDocument(listed.body)
        #expect(stored.int("count") == 2)
        #expect(Set(stored.documents("data").compactMap { $0.string("_id") }) == Set(created))
    }

    /// A key left `running` by a gateway that died before its commit does not block the key
    /// for ever: once its lease has run out, the next request with the key runs.
    @Test func aKeyWhoseGatewayDiedIsTakenOverAfterItsLease() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let body = #"{"documents":[{"name":"Orphaned","price":1}]}"#
            let scope = IdempotencyRecords.Scope(
                tenantId: "acme-corp", userId: "user-123", method: "POST", path: "/products/batch", key: "orphan")
            let past = BSONDate(millisecondsSince1970: BSONDate.now().millisecondsSince1970 - 1000)
            let pool = try await TestBackend.makePool(database: api.config.database.name)
            defer { pool.close() }
            let marker = BSONDocument([
                "_id": .string(scope.id), "request_hash": .string(IdempotentWrites.hash(query: nil, body: ByteBuffer(string: body))),
                "state": "running", "lease_owner": "a-dead-gateway", "lease_until": .date(past),
                "expires_at": .date(BSONDate(millisecondsSince1970: past.millisecondsSince1970 + 86_400_000)),
            ]).encoded()
            _ = try await pool.withConnection { try $0.insertMany(collection: IdempotencyRecords.collection, documents: [marker]) }
            let reply = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("orphan"))
            #expect(reply.status == .created)
            #expect(reply.headers[IdempotencyTests.replayed] == nil)
            let again = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("orphan"))
            #expect(again.headers[IdempotencyTests.replayed] == "true")
            #expect(try await api.get("/products", token: token).json.int("count") == 1)
        }
    }

    static func closeConnection(on command: String, times: Int, appName: String, pool: MongoClientPool) async throws {
        try await TestBackend.configureFailPoint(
            """
            {"configureFailPoint":"failCommand","mode":{"times":\(times)},
             "data":{"failCommands":["\(command)"],"closeConnection":true,"appName":"\(appName)"}}
            """,
            pool: pool)
    }
}
