import Foundation
import Logging
import PMMongo
import PMTestSupport
@testable import PermissionMongo

/// Gateways for the hook tests: a products collection whose hooks point at a test
/// receiver, with short retry settings, on a database the test names (so a second
/// gateway can take over the first one's outbox).
enum HooksHarness {
    struct Hook {
        var event: String
        var path: String
        /// Long enough that a loaded test machine never turns an answer into a timeout;
        /// tests of timeouts set their own.
        var timeoutMs: Int = 15_000
        var secret: String?
        var mode: String?
        var maxDocuments: Int?
        var maxInFlight: Int?
        var collection = "products"
    }

    /// `products` (and any other collection a hook names, with the same fields), editors
    /// who may do everything; `server` lines are added to the server section. An endpoint's
    /// circuit stays open 300 ms unless a line says otherwise (retries here come every
    /// 50–200 ms, not minutes).
    static func yaml(port: Int, hooks: [Hook], maxAttempts: Int = 1000, server: [String] = []) -> String {
        var server = server
        if !server.contains(where: { $0.hasPrefix("hook_breaker_open_ms:") }) { server.append("hook_breaker_open_ms: 300") }
        var text = """
            server:
              max_batch_size: 20
              hook_retry_initial_ms: 50
              hook_retry_max_ms: 200
              hook_max_attempts: \(maxAttempts)

            """
        for line in server { text += "  \(line)\n" }
        text += """
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:

            """
        let collections = ["products"] + Set(hooks.map(\.collection)).subtracting(["products"]).sorted()
        for collection in collections {
            text += """
                  \(collection):
                    fields:
                      name:  { type: string, required: true, min_length: 3 }
                      price: { type: number, required: true, min: 0 }

                """
        }
        text += "policies:\n"
        for collection in collections {
            text += "  \(collection):\n    editor: { actions: [create, read, update, delete] }\n"
        }
        text += "hooks:\n"
        for collection in collections {
            text += "  \(collection):\n"
            if collection == "products" { text += "\n" }
            for event in Set(hooks.filter { $0.collection == collection }.map(\.event)).sorted() {
                text += "    \(event):\n"
                for hook in hooks where hook.event == event && hook.collection == collection {
                    text += "      - url: http://127.0.0.1:\(port)\(hook.path)\n"
                    text += "        timeout_ms: \(hook.timeoutMs)\n"
                    if let secret = hook.secret { text += "        secret: \(secret)\n" }
                    if let mode = hook.mode { text += "        mode: \(mode)\n" }
                    if let maxDocuments = hook.maxDocuments { text += "        max_documents: \(maxDocuments)\n" }
                    if let maxInFlight = hook.maxInFlight { text += "        max_in_flight: \(maxInFlight)\n" }
                }
            }
        }
        return text
    }

    /// Runs `body` against a live gateway on `database`.
    static func with(
        yaml: String, database: String, _ body: @Sendable (GatewayClient) async throws -> Void
    ) async throws {
        let uri = try await TestBackend.uri()
        let directory = try GatewayHarness.temporaryConfig(["gateway.yml": yaml])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var loaded = try ConfigLoader.load(
            directory: directory, environment: ["PM_MONGODB_URI": uri, "PM_DATABASE": database])
        loaded.waitLongerForTheSharedBackend(yaml: yaml)
        let config = loaded
        var logger = Logger(label: "test-gateway-hooks")
        logger.logLevel = .critical
        let server = GatewayServer(config: config, logger: logger)
        try await server.withApplication { app in
            try await app.test(.live) { client in
                try await body(GatewayClient(
                    client: client, minter: TokenMinter(secret: GatewayHarness.secret), config: config))
            }
        }
    }

    /// Waits (up to 90 s) until `count` records of `pool`'s `_pm_outbox` are delivered; how many are then.
    static func delivered(_ count: Int, in pool: MongoClientPool) async throws -> Int {
        let delivered: [UInt8] = try TestBSON.document(#"{"status":"delivered"}"#)
        var found = 0
        for _ in 0..<900 {
            let stored: Int64 = try await pool.withConnection { connection in
                try connection.count(collection: "_pm_outbox", filter: delivered)
            }
            found = Int(stored)
            if found >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return found
    }

    static func documents(_ names: [String]) -> String {
        #"{"documents":["# + names.map { #"{"name":"\#($0)","price":10}"# }.joined(separator: ",") + "]}"
    }
}
