import Foundation
import HTTPTypes
import PMCurl
import PMMongo
import PMTestKit
import PMTestSupport
import Testing

/// One tenant's slow queries do not hold up another tenant (docs/API.md, "Limits"):
/// `server.tenant_max_in_flight` (default half of `database.pool_size`) lets one
/// tenant's requests hold at most half of the MongoDB connections. The backend holds
/// every count for 2 s (`failCommand` with `blockConnection` on `aggregate`, which a
/// list's count runs); a read by id runs no count.
@Suite struct TenantShareTests {
    static func yaml(tenantMaxInFlight: Int?) -> String {
        GatewayHarness.productsYAML.replacingOccurrences(
            of: "server:\n", with: "server:\n" + (tenantMaxInFlight.map { "  tenant_max_in_flight: \($0)\n" } ?? ""))
            + "\ndatabase:\n  pool_size: 8\n"
    }

    /// Tenant A lists eight times at once, every list held 2 s by the backend; tenant B's
    /// read, sent while they run, is answered before any of A's lists.
    @Test func aTenantsSlowQueriesDoNotDelayAnotherTenant() async throws {
        let (bAnswered, firstAAnswered, statuses) = try await Self.run(tenantMaxInFlight: nil)
        #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
        #expect(bAnswered < firstAAnswered)
    }

    /// The same with the limit turned off (0): A's lists take every connection and B's
    /// read waits for one of A's held counts to end.
    @Test func withoutTheLimitAnotherTenantWaits() async throws {
        let (bAnswered, firstAAnswered, statuses) = try await Self.run(tenantMaxInFlight: 0)
        #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
        #expect(bAnswered > firstAAnswered - .milliseconds(500))
    }

    /// When B's read and A's first list were answered, and A's statuses. The requests go
    /// through libcurl, each on a connection of its own (the test client sends one at a time).
    static func run(tenantMaxInFlight: Int?) async throws
        -> (ContinuousClock.Instant, ContinuousClock.Instant, [HTTPResponse.Status]) {
        try await TestBackend.withFailPoint {
            let appName = "pm-tenant-share-\(UInt32.random(in: 0 ... .max))"
            let result = Answers()
            try await GatewayHarness.with(yaml: yaml(tenantMaxInFlight: tenantMaxInFlight), appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let tenantA = try await api.token("a1", tenant: "tenant-a", roles: ["admin"])
                let tenantB = try await api.token("b1", tenant: "tenant-b", roles: ["admin"])
                let created = try await api.post("/products", token: tenantB, #"{"name":"Kept","price":1}"#)
                let id = try #require(created.json.string("id"), "\(created.text)")
                try await TestBackend.configureFailPoint(
                    """
                    {"configureFailPoint":"failCommand","mode":"alwaysOn",
                     "data":{"failCommands":["aggregate"],"blockConnection":true,"blockTimeMS":2000,"appName":"\(appName)"}}
                    """,
                    pool: admin)
                let base = "http://127.0.0.1:\(try #require(api.client.port))"
                let curl = try CurlClient(maxConcurrent: 16)
                func get(_ path: String, token: String) async throws -> CurlResponse {
                    try await curl.perform(CurlRequest(
                        url: base + path, method: "GET", headers: [("Authorization", "Bearer \(token)")],
                        timeoutMilliseconds: 60_000))
                }
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<8 {
                            group.addTask {
                                let status = try await get("/products", token: tenantA).status
                                result.noteA(HTTPResponse.Status(code: status))
                            }
                        }
                        // A's eight lists are in the gateway (the gauge counts the scrape too), and
                        // a moment later in their held counts, before B reads: on a loaded machine
                        // a fixed pause was not always enough.
                        var inFlight = 0.0
                        for _ in 0..<600 where inFlight < 9 {
                            let metrics = String(decoding: try await get("/metrics", token: tenantB).body, as: UTF8.self)
                            inFlight = MetricSamples(metrics)["pm_http_requests_in_flight"] ?? 0
                            if inFlight < 9 { try await Task.sleep(for: .milliseconds(50)) }
                        }
                        #expect(inFlight >= 9, "A's lists never were all in flight")
                        try await Task.sleep(for: .milliseconds(300))
                        let read = try await get("/products/\(id)", token: tenantB)
                        result.noteB()
                        #expect(read.status == 200)
                        try await group.waitForAll()
                    }
                } catch {
                    await curl.shutdown()
                    throw error
                }
                await curl.shutdown()
            }
            return try result.outcome()
        }
    }

    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var b: ContinuousClock.Instant?
        private var a: [(ContinuousClock.Instant, HTTPResponse.Status)] = []

        func noteA(_ status: HTTPResponse.Status) { lock.withLock { a.append((.now, status)) } }
        func noteB() { lock.withLock { b = .now } }

        func outcome() throws -> (ContinuousClock.Instant, ContinuousClock.Instant, [HTTPResponse.Status]) {
            try lock.withLock {
                let b = try #require(b)
                let first = try #require(a.map(\.0).min())
                return (b, first, a.map(\.1))
            }
        }
    }
}
