import Foundation
import Testing

/// `server.max_connections` (8 here): a connection beyond the cap is closed as soon as it is
/// accepted, without an answer, while the others are kept; once connections go away new
/// ones are served again.
@Suite struct ConnectionLimitTests {
    static let yaml = GatewayHarness.productsYAML.replacingOccurrences(of: "server:\n", with: "server:\n  max_connections: 8\n")

    @Test func connectionsBeyondTheCapAreClosedAtOnceUntilOthersGoAway() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let port = try #require(api.client.port)
            // The harness's client holds one connection, answered connections fill the others.
            #expect(try await api.get("/healthz", token: nil).status == .ok)
            var held: [RawConnection] = []
            for _ in 0 ..< 7 {
                let connection = try RawConnection(port: port)
                await connection.send(RawRequest.healthz)
                #expect(await connection.readResponses(within: .seconds(20))?.first?.status == 200)
                held.append(connection)
            }

            // Idle connections are kept for a minute (idle_timeout_ms): one closed within
            // seconds, without an answer, was refused.
            let refused = try RawConnection(port: port)
            await refused.send(RawRequest.healthz)
            let received = await refused.readUntilClosed(within: .seconds(10))
            #expect(refused.closedByGateway)
            #expect(received.isEmpty, "\(String(decoding: received, as: UTF8.self))")

            for connection in held { connection.hangUp() }
            var status: Int?
            for _ in 0 ..< 50 where status != 200 {
                let connection = try RawConnection(port: port)
                await connection.send(RawRequest.healthz)
                status = await connection.readResponses(within: .seconds(5))?.first?.status
                if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 200)
            #expect(try await api.get("/healthz", token: nil).status == .ok)
            let metrics = try await api.get("/metrics", token: nil).text
            let refusals = metrics.split(separator: "\n").first { $0.hasPrefix("pm_http_connections_refused_total ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect((refusals ?? 0) >= 1, "\(metrics)")
            #expect(metrics.contains("pm_http_connections_open "))
        }
    }
}
