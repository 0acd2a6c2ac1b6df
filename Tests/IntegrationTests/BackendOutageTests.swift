import Foundation
import HTTPTypes
import PMTestKit
import PermissionMongo
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
        let storage = try TemporaryDirectory([:])
        defer { storage.remove() }
        let backend = try await OwnedBackend.start(storage: storage.path + "/data")
        defer { backend.stop() }
        try await GatewayHarness.with(backendURI: backend.uri) { api in
            let token = try await api.token()
            let created = try await api.post("/products", token: token, #"{"name":"Before","price":1}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json.string("id"))
            #expect(try await api.get("/readyz", token: nil).status == .ok)

            try backend.kill()
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
            let notReady = try await Self.readiness(api, becomes: .serviceUnavailable, within: .seconds(20))
            #expect(notReady.reply.json.document("error")?.string("code") == "unavailable")
            #expect(notReady.slowest < .milliseconds(DatabaseSettings.defaultServerSelectionTimeoutMS),
                    "a /readyz answer took \(notReady.slowest)")

            try await backend.restart()
            _ = try await Self.readiness(api, becomes: .ok, within: .seconds(60))
            #expect(try await api.get("/products/\(id)", token: token).status == .ok)
            let after = try await api.post("/products", token: token, #"{"name":"After","price":1}"#)
            #expect(after.status == .created, "\(after.text)")
        }
    }

    /// Polls `/readyz` until it answers `status`; that answer and the slowest answer seen.
    static func readiness(
        _ api: GatewayClient, becomes status: HTTPResponse.Status, within limit: Duration
    ) async throws -> (reply: GatewayClient.Reply, slowest: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var slowest: Duration = .zero
        while true {
            let started = clock.now
            let reply = try await api.get("/readyz", token: nil)
            slowest = max(slowest, clock.now - started)
            if reply.status == status { return (reply, slowest) }
            guard clock.now < deadline else {
                Issue.record("/readyz did not answer \(status.code) within \(limit): \(reply.status.code) \(reply.text)")
                return (reply, slowest)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
