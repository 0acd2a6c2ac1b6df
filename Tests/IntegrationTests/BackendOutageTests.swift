import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PMTestKit
@testable import PermissionMongo
import PMTestSupport
import Testing

/// Failing fast while the backend is away: requests are answered 503 `unavailable` within
/// a small multiple of `database.server_selection_timeout_ms` (default 3 s; the driver's
/// own default is 30 s), `/readyz` answers from the background probe's state without
/// waiting on the driver, and the gateway is ready again once the backend is back, without
/// a restart.
@Suite("backend outage: fail fast, readiness, recovery")
struct BackendOutageTests {
    /// Far below the driver's default server selection timeout (30 s), far above ours (3 s).
    static let promptly: Duration = .seconds(15)

    @Test func requestsFailFastWhileTheBackendIsAwayAndRecover() async throws {
        try await OwnedBackend.with(syncOnCommit: true) { backend in
            try await Self.failFastAndRecover(backend)
        }
    }

    static func failFastAndRecover(_ backend: OwnedBackend) async throws {
        try await GatewayHarness.with(backendURI: backend.uri) { api in
            let token = try await api.token()
            let created = try await api.post("/products", token: token, #"{"name":"Before","price":1}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json.string("id"))
            #expect(try await api.get("/readyz", token: nil).status == .ok)

            try await backend.kill()
            let clock = ContinuousClock()
            for path in ["/products", "/products/\(id)"] {
                let started = clock.now
                let reply = try await api.get(path, token: token)
                let waited = clock.now - started
                #expect(reply.status == .serviceUnavailable, "\(path): \(reply.text)")
                #expect(reply.json.document("error")?.string("code") == "unavailable")
                #expect(waited < Self.promptly, "\(path) answered after \(waited)")
            }
            let write = try await api.post("/products", token: token, #"{"name":"During","price":1}"#)
            #expect(write.status == .serviceUnavailable, "\(write.text)")

            // Not ready once the probe has missed the backend; each answer comes from its
            // state, never from a ping of its own (which would wait for server selection).
            // A ping would wait the whole server selection timeout on every answer; a loaded
            // machine may slow any single answer, so the fastest of several is compared.
            let notReady = try await Self.readiness(api, becomes: .serviceUnavailable, within: .seconds(20))
            #expect(notReady.json.document("error")?.string("code") == "unavailable")
            let fastest = try await Self.fastestAnswer(api, of: 5, expecting: .serviceUnavailable)
            #expect(fastest < .milliseconds(DatabaseSettings.defaultServerSelectionTimeoutMS),
                    "the fastest of five /readyz answers took \(fastest)")

            try await backend.restart(syncOnCommit: true)
            _ = try await Self.readiness(api, becomes: .ok, within: .seconds(60))
            #expect(try await api.get("/products/\(id)", token: token).status == .ok)
            let after = try await api.post("/products", token: token, #"{"name":"After","price":1}"#)
            #expect(after.status == .created, "\(after.text)")
        }
    }

    /// A gateway started while nothing listens at its backend's address, with the default
    /// timeouts: not ready, and a request is 503 `unavailable` after the server selection
    /// timeout, not the driver's 30 s.
    @Test func aBackendThatNeverAnswersIsUnavailablePromptly() async throws {
        let directory = try GatewayHarness.temporaryConfig(["gateway.yml": """
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              notes:
                fields:
                  text: { type: string }
            policies:
              notes:
                editor: { actions: [create, read] }
            """])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try ConfigLoader.load(directory: directory, environment: [
            "PM_MONGODB_URI": "mongodb://127.0.0.1:\(try TestBackend.freePort())/?directConnection=true",
        ])
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await GatewayServer(config: config, logger: logger).withApplication { app in
            try await app.test(.live) { client in
                let api = GatewayClient(client: client, minter: await TokenMinter(secret: GatewayHarness.secret), config: config)
                let token = try await api.token()
                let clock = ContinuousClock()
                for (method, body) in [(HTTPRequest.Method.get, nil), (.post, #"{"text":"lost"}"#)] {
                    let started = clock.now
                    let reply = try await api.send(method, "/notes", token: token, body: body)
                    let waited = clock.now - started
                    #expect(reply.status == .serviceUnavailable, "\(method): \(reply.text)")
                    #expect(reply.json.document("error")?.string("code") == "unavailable")
                    #expect(waited < Self.promptly, "\(method) answered after \(waited)")
                }
                let ready = try await api.get("/readyz", token: nil)
                #expect(ready.status == .serviceUnavailable, "\(ready.text)")
            }
        }
    }

    /// Polls `/readyz` until it answers `status`; that answer.
    static func readiness(
        _ api: GatewayClient, becomes status: HTTPResponse.Status, within limit: Duration
    ) async throws -> GatewayClient.Reply {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            let reply = try await api.get("/readyz", token: nil)
            if reply.status == status { return reply }
            guard clock.now < deadline else {
                Issue.record("/readyz did not answer \(status.code) within \(limit): \(reply.status.code) \(reply.text)")
                return reply
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Asks `/readyz` `count` times; the quickest answer's time. Each must be `status`.
    static func fastestAnswer(
        _ api: GatewayClient, of count: Int, expecting status: HTTPResponse.Status
    ) async throws -> Duration {
        let clock = ContinuousClock()
        var fastest: Duration = .seconds(3600)
        for _ in 0..<count {
            let started = clock.now
            let reply = try await api.get("/readyz", token: nil)
            fastest = min(fastest, clock.now - started)
            #expect(reply.status == status, "\(reply.status.code) \(reply.text)")
        }
        return fastest
    }
}
