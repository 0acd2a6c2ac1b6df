import Foundation
import HTTPTypes
import PMTestKit
import PMTestSupport
import Testing

/// Durable by default: the gateway writes with `{w: majority, j: true}`, so a create it
/// answered 201 for is on disk. A backend of the test's own (data on disk, commits synced)
/// is killed with SIGKILL while four clients create documents, then started again on the
/// same data: every id the gateway answered with is stored.
@Suite("durability: a backend killed under load")
struct BackendKillTests {
    @Test func everyAcknowledgedCreateSurvivesABackendKill() async throws {
        let storage = try TemporaryDirectory([:])
        defer { storage.remove() }
        let backend = try await OwnedBackend.start(storage: storage.path + "/data")
        defer { backend.stop() }
        try await GatewayHarness.with(backendURI: backend.uri) { api in
            let token = try await api.token()
            let acknowledged = AcknowledgedIds()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        // Creates until the first answer that is not a 201 (the backend is gone).
                        for serial in 1... {
                            let reply = try await api.post(
                                "/products", token: token, #"{"name":"client \#(client) no \#(serial)","price":1}"#)
                            guard reply.status == .created, let id = reply.json.string("id") else {
                                #expect(reply.status == .serviceUnavailable, "\(reply.text)")
                                return
                            }
                            acknowledged.add(id)
                        }
                    }
                }
                while acknowledged.count < 60 { try await Task.sleep(for: .milliseconds(10)) }
                try backend.kill()
                try await group.waitForAll()
            }
            try await backend.restart()
            let ids = acknowledged.all
            #expect(ids.count >= 60)
            var missing: [String] = []
            for id in ids {
                // Reads fail while the gateway's driver has not seen the backend again.
                var reply = try await api.get("/products/\(id)", token: token)
                for _ in 0..<100 where reply.status == .serviceUnavailable {
                    try await Task.sleep(for: .milliseconds(100))
                    reply = try await api.get("/products/\(id)", token: token)
                }
                if reply.status != .ok { missing.append("\(id): \(reply.status.code)") }
            }
            #expect(missing.isEmpty, "\(missing.count) of \(ids.count) acknowledged creates lost: \(missing.prefix(10))")
        }
    }
}

/// Ids collected by concurrent clients.
final class AcknowledgedIds: @unchecked Sendable {
    // `@unchecked`: `ids` is only touched under `lock`.
    private let lock = NSLock()
    private var ids: [String] = []

    func add(_ id: String) { lock.withLock { ids.append(id) } }
    var count: Int { lock.withLock { ids.count } }
    var all: [String] { lock.withLock { ids } }
}
