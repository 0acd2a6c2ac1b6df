import Foundation
import HTTPTypes
import PMTestKit
import PMTestSupport
import Testing

/// Durable by default: the gateway writes with `{w: majority, j: true}`, so a create it
/// answered 201 for is on disk. A backend of the test's own (data on disk, started without
/// `--sync-on-commit`, so only the write concern's `j: true` makes a write wait for the
/// journal) is killed with SIGKILL while four clients create documents, then started again
/// on the same data with `--sync-on-commit`: every id the gateway answered with is stored.
@Suite("durability: a backend killed under load")
struct BackendKillTests {
    @Test func everyAcknowledgedCreateSurvivesABackendKill() async throws {
        let outcome = try await Self.killUnderLoad()
        #expect(outcome.acknowledged >= 60)
        #expect(outcome.missing.isEmpty,
                "\(outcome.missing.count) of \(outcome.acknowledged) acknowledged creates lost: \(outcome.missing.prefix(10))")
    }

    /// Four clients create until the backend is killed (after 60 acknowledged creates);
    /// after its restart, the acknowledged ids that are not stored.
    /// - Parameter uriOptions: appended to the gateway's connection string.
    static func killUnderLoad(uriOptions: String = "") async throws -> (acknowledged: Int, missing: [String]) {
        try await OwnedBackend.with(syncOnCommit: false) { backend in
            try await killUnderLoad(backend, uriOptions: uriOptions)
        }
    }

    static func killUnderLoad(_ backend: OwnedBackend, uriOptions: String) async throws -> (acknowledged: Int, missing: [String]) {
        let result = Outcome()
        try await GatewayHarness.with(backendURI: backend.uri + uriOptions) { api in
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
                try await backend.kill()
                try await group.waitForAll()
            }
            try await backend.restart(syncOnCommit: true)
            let ids = acknowledged.all
            var missing: [String] = []
            for id in ids {
                // Reads fail while the gateway's driver has not seen the backend again.
                var reply = try await api.get("/products/\(id)", token: token)
                var tries = 0
                while reply.status == .serviceUnavailable && tries < 100 {
                    tries += 1
                    try await Task.sleep(for: .milliseconds(100))
                    reply = try await api.get("/products/\(id)", token: token)
                }
                if reply.status != .ok { missing.append("\(id): \(reply.status.code)") }
            }
            result.set(acknowledged: ids.count, missing: missing)
        }
        return result.value
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

/// What `killUnderLoad` found, handed out of the gateway's body.
private final class Outcome: @unchecked Sendable {
    // `@unchecked`: only touched under `lock`.
    private let lock = NSLock()
    private var stored: (acknowledged: Int, missing: [String]) = (0, [])

    func set(acknowledged: Int, missing: [String]) { lock.withLock { stored = (acknowledged, missing) } }
    var value: (acknowledged: Int, missing: [String]) { lock.withLock { stored } }
}
