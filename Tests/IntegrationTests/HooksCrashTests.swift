import Foundation
import PMBSON
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// A gateway process killed with SIGKILL while deliveries are in flight, and started
/// again on the same database: every delivery arrives, and a delivery that arrives twice
/// does so with the same event id.
@Suite("hooks: a gateway killed mid-delivery")
struct HooksCrashTests {
    @Test func noDeliveryIsLostWhenTheGatewayIsKilled() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.sleep(.seconds(3), at: "/index")
        let config = try TemporaryDirectory([
            "gateway.yml": HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index", timeoutMs: 2000)]),
        ])
        defer { config.remove() }
        let database = TestBackend.uniqueDatabaseName()
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])

        let first = try await GatewayProcess.start(configDirectory: config.path, database: database)
        let names = (1...10).map { "Document \($0)" }
        let reply: (status: Int, body: String)
        do {
            reply = try await first.send("POST", "/products/batch", token: token, body: HooksHarness.documents(names))
            // Four deliveries are under way (max_in_flight), none answered yet: kill now.
            _ = try await receiver.waitForCalls(to: "/index", count: 4)
            try await first.kill()
        } catch {
            first.stop()
            throw error
        }
        first.stop()
        let created = (try JSONReader.parseDocument(Array(reply.body.utf8))).strings("created")
        #expect(reply.status == 201 && created.count == 10, "\(reply.body)")
        #expect(receiver.answered(at: "/index").isEmpty)

        receiver.sleep(.zero, at: "/index")
        let second = try await GatewayProcess.start(configDirectory: config.path, database: database)
        defer { second.stop() }
        // The killed process's claims are taken over once their lease (timeout + 10 s) ran out.
        #expect(try await HooksHarness.delivered(10, in: outbox) == 10, "\(second.server.logTail())")
        let calls = receiver.calls(to: "/index")
        #expect(Set(calls.compactMap { $0.json.string("id") }) == Set(created))
        #expect(calls.count > 10)  // the killed deliveries came again …
        for (id, again) in Dictionary(grouping: calls, by: { $0.json.string("id") ?? "" }) {
            #expect(Set(again.compactMap { $0.header("X-PM-Event-Id") }).count == 1, "\(id)")  // … with their event ids
        }
        let list = try await second.send("GET", "/products", token: token)
        #expect((try JSONReader.parseDocument(Array(list.body.utf8))).int("count") == 10)
        await receiver.stop()
    }
}
