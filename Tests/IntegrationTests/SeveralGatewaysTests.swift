import Foundation
import PMBSON
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// Two gateway processes on one database, as behind a load balancer (README, "Running
/// several gateways"): what one writes the other reads, concurrent updates through both
/// number versions without gaps or repeats, each post-hook delivery is made once (the
/// outbox's leases), none is lost when one gateway is killed mid-delivery, and a reload of
/// one leaves the other as it was.
@Suite("several gateways on one database", .serialized)
struct SeveralGatewaysTests {
    static func yaml(receiverPort: Int, timeoutMs: Int = 15_000, extraCollection: Bool = false) -> String {
        """
        server:
          max_batch_size: 50
          hook_retry_initial_ms: 50
          hook_retry_max_ms: 200
          hook_breaker_open_ms: 300
        database:
          # Patient with a test backend that every test of the run shares.
          server_selection_timeout_ms: 20000
          connect_timeout_ms: 10000
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          products:
            fields:
              name: { type: string, required: true }
              qty:  { type: integer, required: true }
            versioning: { enabled: true }
        \(extraCollection ? "  tasks:\n    fields:\n      title: { type: string }" : "")
        policies:
          products:
            editor: { actions: [create, read, update, delete] }
        \(extraCollection ? "  tasks:\n    editor: { actions: [create, read] }" : "")
        hooks:
          products:
            post_create:
              - url: http://127.0.0.1:\(receiverPort)/index
                timeout_ms: \(timeoutMs)
        """
    }

    static func documents(_ count: Int, from start: Int = 0) -> String {
        #"{"documents":["# + (start..<start + count).map { #"{"name":"Doc \#($0)","qty":0}"# }.joined(separator: ",") + "]}"
    }

    static func json(_ body: String) throws -> BSONDocument { try JSONReader.parseDocument(Array(body.utf8)) }

    @Test func writesVersionsDeliveriesAndReloadsAcrossTwoGateways() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let database = TestBackend.uniqueDatabaseName()
        let configA = try TemporaryDirectory(["gateway.yml": Self.yaml(receiverPort: port)])
        let configB = try TemporaryDirectory(["gateway.yml": Self.yaml(receiverPort: port)])
        defer { configA.remove(); configB.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let a = try await GatewayProcess.start(configDirectory: configA.path, database: database)
        defer { a.stop() }
        let b = try await GatewayProcess.start(configDirectory: configB.path, database: database)
        defer { b.stop() }

        // What one writes, the other reads.
        let replyA = try await a.send("POST", "/products/batch", token: token, body: Self.documents(10))
        let replyB = try await b.send("POST", "/products/batch", token: token, body: Self.documents(10, from: 10))
        let createdA = try Self.json(replyA.body).strings("created")
        let createdB = try Self.json(replyB.body).strings("created")
        #expect(createdA.count == 10 && createdB.count == 10,
                "A: \(replyA.status) \(replyA.body)\nB: \(replyB.status) \(replyB.body)\nA's log: \(a.server.logTail())\nB's log: \(b.server.logTail())")
        let ids = createdA + createdB
        #expect(try Self.json(try await b.send("GET", "/products?limit=50", token: token).body).int("count") == 20)
        #expect(try await a.send("GET", "/products/\(createdB[0])", token: token).status == 200)

        // Six writers, three on each gateway, each incrementing every document: every
        // increment counted, versions 1...6 on every document.
        let update = #"{"ids":["# + ids.map { "\"\($0)\"" }.joined(separator: ",") + #"],"update":{"$inc":{"qty":1}}}"#
        try await withThrowingTaskGroup(of: Void.self) { group in
            for gateway in [a, b, a, b, a, b] {
                group.addTask {
                    let reply = try await gateway.send("PUT", "/products/batch", token: token, body: update)
                    #expect(reply.status == 200, "\(reply.body)")
                    #expect((try? Self.json(reply.body))?.int("modified") == 20, "\(reply.body)")
                }
            }
            try await group.waitForAll()
        }
        for (index, id) in ids.enumerated() {
            let gateway = index.isMultiple(of: 2) ? a : b
            let document = try Self.json(try await gateway.send("GET", "/products/\(id)", token: token).body)
            #expect(document.int("qty") == 6, "\(document)")
            let versions = try Self.json(try await gateway.send("GET", "/products/\(id)/versions", token: token).body)
                .documents("data").compactMap { $0.int("version") }
            #expect(versions.sorted() == Array(1...6), "\(id): \(versions)")
        }

        // Every created document delivered, each once: both workers claim from one outbox.
        let calls = try await receiver.waitForCalls(to: "/index", count: 20)
        try await Task.sleep(for: .seconds(1))  // time for a second delivery of any, were there one
        let delivered = receiver.calls(to: "/index")
        #expect(Set(delivered.compactMap { $0.json.string("id") }) == Set(ids))
        #expect(delivered.count == 20, "\(delivered.count) deliveries for 20 documents (first \(calls.count))")
        #expect(Set(delivered.compactMap { $0.header("X-PM-Event-Id") }).count == 20)

        // A reload of A, while B serves: B keeps its configuration and every answer.
        try configA.write("gateway.yml", Self.yaml(receiverPort: port, extraCollection: true))
        let during = Task {
            var statuses: [Int] = []
            for index in 0..<10 {
                statuses.append(try await b.send("POST", "/products", token: token, body: #"{"name":"During \#(index)","qty":1}"#).status)
            }
            return statuses
        }
        try a.hangUp()
        #expect(try await a.log(contains: "configuration reloaded"), "\(a.server.logTail())")
        #expect(try await during.value == Array(repeating: 201, count: 10))
        #expect(try await a.send("POST", "/tasks", token: token, body: #"{"title":"t"}"#).status == 201)
        #expect(try await b.send("GET", "/tasks", token: token).status == 404)
        #expect(!b.server.logTail(1 << 20).contains("configuration reload"))
    }

    @Test func aGatewayKilledMidDeliveryLosesNoDeliveryTheOtherMakesThem() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.sleep(.seconds(3), at: "/index")
        let database = TestBackend.uniqueDatabaseName()
        let config = try TemporaryDirectory(["gateway.yml": Self.yaml(receiverPort: port, timeoutMs: 2000)])
        defer { config.remove() }
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let a = try await GatewayProcess.start(configDirectory: config.path, database: database)
        let b = try await GatewayProcess.start(configDirectory: config.path, database: database)
        defer { b.stop() }

        let reply: (status: Int, body: String)
        do {
            reply = try await a.send("POST", "/products/batch", token: token, body: Self.documents(10))
            // Deliveries under way (by either gateway), none answered: kill A.
            _ = try await receiver.waitForCalls(to: "/index", count: 4)
            try await a.kill()
        } catch {
            a.stop()
            throw error
        }
        a.stop()
        let created = try Self.json(reply.body).strings("created")
        #expect(reply.status == 201 && created.count == 10, "\(reply.body)")
        receiver.sleep(.zero, at: "/index")

        // A's claims are taken over by B once their lease (timeout + 10 s) has run out.
        #expect(try await HooksHarness.delivered(10, in: outbox) == 10, "\(b.server.logTail())")
        let calls = receiver.calls(to: "/index")
        #expect(Set(calls.compactMap { $0.json.string("id") }) == Set(created))
        for (id, again) in Dictionary(grouping: calls, by: { $0.json.string("id") ?? "" }) {
            #expect(Set(again.compactMap { $0.header("X-PM-Event-Id") }).count == 1, "\(id)")
        }
    }
}
