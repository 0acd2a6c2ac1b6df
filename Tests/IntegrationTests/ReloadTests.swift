import Foundation
import PMBSON
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// SIGHUP reloads the configuration of a running gateway process (docs/API.md, "Reloading
/// the configuration"): new requests use the new one, a request already running finishes
/// with the one it started with, new unique indexes are created, restart-only settings keep
/// their running values, and a configuration with problems is refused whole.
@Suite("reload: SIGHUP swaps the configuration")
struct ReloadTests {
    static func yaml(hookURL: String?, notes: String, more: String = "", server: String = "") -> String {
        """
        server:
          max_connections: 1000
        \(server)
        database:
          # Patient with a test backend that every test of the run shares.
          server_selection_timeout_ms: 20000
          connect_timeout_ms: 10000
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          notes:
            fields:
              text: { type: string, required: true }
        \(notes)
        \(more)
        policies:
          notes:
            editor: { actions: [create, read, update, delete] }
        \(hookURL.map { "hooks:\n  notes:\n    pre_create:\n      - url: \($0)\n        timeout_ms: 20000" } ?? "")
        """
    }

    @Test func newRequestsUseTheNewConfigurationAndARunningOneFinishesWithItsOwn() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let hook = receiver.url("/check")
        let config = try TemporaryDirectory(["gateway.yml": Self.yaml(hookURL: hook, notes: "")])
        defer { config.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let database = TestBackend.uniqueDatabaseName()
        let gateway = try await GatewayProcess.start(configDirectory: config.path, database: database)
        defer { gateway.stop() }

        // Under the first configuration `code` is not a declared field: kept (additional
        // fields are allowed), and not unique.
        let first = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"a","code":"X1"}"#)
        #expect(first.status == 201, "\(first.body)")
        #expect(try await gateway.send("GET", "/tasks", token: token).status == 404)

        // A request held in its pre-hook while the configuration changes.
        receiver.sleep(.seconds(3), at: "/check")
        let held = Task {
            try await gateway.send("POST", "/notes/batch", token: token, body: #"{"documents":[{"text":"held","code":"XYZ"}]}"#)
        }
        _ = try await receiver.waitForCalls(to: "/check", count: 2)

        // The new one: `code` unique and at most 2 characters, a collection `tasks`, no
        // hooks, and a restart-only setting changed.
        try config.write("gateway.yml", Self.yaml(
            hookURL: nil,
            notes: "      code: { type: string, unique: true, max_length: 2 }\n    indexes:\n      - fields: { text: 1 }\n        name: by_text",
            more: """
              tasks:
                fields:
                  title: { type: string, required: true }
            """,
            server: "  hook_concurrency: 9"
        ).replacingOccurrences(of: """
            policies:
              notes:
                editor: { actions: [create, read, update, delete] }
            """, with: """
            policies:
              notes:
                editor: { actions: [create, read, update, delete] }
              tasks:
                editor: { actions: [create, read] }
            """).replacingOccurrences(of: #"max_connections: 1000"#, with: #"max_connections: 999"#))
        try gateway.hangUp()
        #expect(try await gateway.log(contains: "configuration reloaded"), "\(gateway.server.logTail())")

        // The new declared index was created before the configuration was used.
        let indexes = try await DeclaredIndexTests.backendIndexes("notes", database: database)
        #expect(indexes["by_text"]?.document("key")?.jsonString == #"{"tenant_id":1,"text":1}"#, "\(indexes.keys.sorted())")

        // New requests: the new collection, the new rules, the new unique index.
        let task = try await gateway.send("POST", "/tasks", token: token, body: #"{"title":"t"}"#)
        #expect(task.status == 201, "\(task.body)")
        let tooLong = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"b","code":"XYZ"}"#)
        #expect(tooLong.status == 422, "\(tooLong.body)")
        let duplicate = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"c","code":"X1"}"#)
        #expect(duplicate.status == 409, "\(duplicate.body)")

        // The held request: validated, hooked and written under the first configuration,
        // where a `code` of 3 characters is allowed.
        let answer = try await held.value
        #expect(answer.status == 201, "\(answer.body)")
        let afterReload = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"d","code":"Y1"}"#)
        #expect(afterReload.status == 201, "\(afterReload.body)")
        #expect(receiver.calls(to: "/check").count == 2, "no pre-hook after the reload")

        // Restart-only settings: named, and their running values kept.
        let log = gateway.server.logTail(1 << 20)
        #expect(log.contains("need a restart") && log.contains("server.max_connections") && log.contains("server.hook_concurrency"),
                "\(log.suffix(3000))")
        let metrics = try await gateway.send("GET", "/metrics", token: token)
        #expect(metrics.body.contains(#"pm_config_reloads_total{result="ok"} 1"#), "\(metrics.body)")
    }

    @Test func aConfigurationWithProblemsIsRefusedAndTheRunningOneStays() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        let config = try TemporaryDirectory(["gateway.yml": Self.yaml(hookURL: receiver.url("/check"), notes: "")])
        defer { config.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let gateway = try await GatewayProcess.start(configDirectory: config.path, database: TestBackend.uniqueDatabaseName())
        defer { gateway.stop() }

        // Two problems: an unknown key and an unknown field type.
        try config.write("gateway.yml", Self.yaml(
            hookURL: receiver.url("/check"), notes: "      code: { type: strng }", server: "  max_batch_sise: 10"))
        try gateway.hangUp()
        #expect(try await gateway.log(contains: "configuration reload refused"), "\(gateway.server.logTail())")
        let log = gateway.server.logTail(1 << 20)
        #expect(log.contains("gateway.yml:") && log.contains("max_batch_sise") && log.contains("strng"), "\(log.suffix(3000))")

        // Still the first configuration: `code` is any value, the hook is called.
        let created = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"a","code":17}"#)
        #expect(created.status == 201, "\(created.body)")
        #expect(receiver.calls(to: "/check").count == 1)
        let metrics = try await gateway.send("GET", "/metrics", token: token)
        #expect(metrics.body.contains(#"pm_config_reloads_total{result="error"} 1"#), "\(metrics.body)")

        // Fixed: the next SIGHUP applies it.
        try config.write("gateway.yml", Self.yaml(hookURL: receiver.url("/check"), notes: "      code: { type: string }"))
        try gateway.hangUp()
        #expect(try await gateway.log(contains: "configuration reloaded"), "\(gateway.server.logTail())")
        let typed = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"b","code":17}"#)
        #expect(typed.status == 422, "\(typed.body)")
    }
}
