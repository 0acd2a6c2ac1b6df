import Foundation
import PMBSON
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// SIGTERM ends a gateway process within `server.shutdown_grace_ms` (here 2000 ms) plus a
/// margin, whatever its backend does: with the backend killed, or frozen (SIGSTOP: it accepts
/// connections and answers nothing), and a server selection timeout (30 s) that keeps
/// requests waiting far longer than the grace, the requests in flight get 503 at the
/// deadline — `unavailable` when they had sent no write — and the process exits. With the
/// backend well, a request in flight finishes as usual and the process exits as soon as it
/// has, long before the grace.
@Suite("shutdown: SIGTERM within the grace whatever the backend does", .serialized)
struct ShutdownGraceTests {
    static let graceMs = 2000
    /// Time to answer and exit after the deadline (1 s), and slack for a loaded machine.
    static let margin: Duration = .seconds(6)

    enum Fault: String, CaseIterable, Sendable {
        case killed, frozen
    }

    struct InFlight: Sendable {
        var name: String
        var method: String
        var path: String
        var body: String?
        /// A write sent outside any transaction to a server still selected may have been
        /// applied: `outcome_unknown` is as honest an answer then.
        var mayHaveWritten = false
    }

    static let inFlight: [InFlight] = [
        InFlight(name: "list", method: "GET", path: "/notes"),
        InFlight(name: "atomic create", method: "POST", path: "/notes/batch?atomic=true",
                 body: #"{"documents":[{"text":"atomic"}]}"#),
        InFlight(name: "create", method: "POST", path: "/notes", body: #"{"text":"plain"}"#, mayHaveWritten: true),
    ]

    @Test func sigtermLetsARequestInFlightFinishAndExitsWithoutWaitingForTheGrace() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.sleep(.seconds(1), at: "/slow")
        let config = try TemporaryDirectory([
            "gateway.yml": HooksHarness.yaml(port: receiver.port, hooks: [.init(event: "pre_create", path: "/slow")]),
        ])
        defer { config.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let gateway = try await GatewayProcess.start(configDirectory: config.path, database: TestBackend.uniqueDatabaseName())
        defer { gateway.stop() }
        let created = Task {
            try await gateway.send("POST", "/products/batch", token: token, body: HooksHarness.documents(["Slow one"]))
        }
        _ = try await receiver.waitForCalls(to: "/slow", count: 1)
        let clock = ContinuousClock()
        let signalled = clock.now
        try gateway.terminate()
        let reply = try await created.value
        #expect(reply.status == 201, "\(reply.body)")
        #expect(try await gateway.stops(within: .seconds(10)), "\(gateway.server.logTail())")
        #expect(clock.now - signalled < .seconds(10), "the default grace is 25 s; nothing was left to wait for")
    }

    @Test(arguments: Fault.allCases)
    func sigtermEndsTheGatewayWithinTheGraceAndAnswersRequestsInFlight(_ fault: Fault) async throws {
        try await OwnedBackend.with(syncOnCommit: true) { backend in
            try await Self.sigtermWhileTheBackendFails(backend, fault: fault)
        }
    }

    static func sigtermWhileTheBackendFails(_ backend: OwnedBackend, fault: Fault) async throws {
        let config = try TemporaryDirectory(["gateway.yml": """
            server:
              shutdown_grace_ms: \(Self.graceMs)
            database:
              server_selection_timeout_ms: 30000
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              notes:
                fields:
                  text: { type: string, required: true }
            policies:
              notes:
                editor: { actions: [create, read] }
            """])
        defer { config.remove() }
        let token = try await TokenMinter(secret: GatewayHarness.secret).token(
            subject: "u1", tenantId: "acme", roles: ["editor"])
        let gateway = try await GatewayProcess.start(
            configDirectory: config.path, database: TestBackend.uniqueDatabaseName(), backendURI: backend.uri)
        defer { gateway.stop() }
        let before = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"before"}"#)
        #expect(before.status == 201, "\(before.body)")

        switch fault {
        case .killed: try await backend.kill()
        case .frozen: try await backend.freeze()
        }
        let clock = ContinuousClock()
        let answers = Task {
            try await withThrowingTaskGroup(of: (InFlight, Int, String, ContinuousClock.Instant).self) { group in
                for request in Self.inFlight {
                    group.addTask {
                        let reply = try await gateway.send(request.method, request.path, token: token, body: request.body)
                        return (request, reply.status, reply.body, clock.now)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // The requests are waiting on the backend (for up to 30 s) when the signal comes: the
        // gateway has them in flight. (On a loaded machine they may take long to connect.)
        let arrived = try await gateway.hasInFlight(Self.inFlight.count, within: .seconds(60))
        try #require(arrived, "\(fault): the requests never were in flight: \(gateway.server.logTail(3000))")
        let signalled = clock.now
        try gateway.terminate()
        var stoppedAfter: Duration?
        while clock.now - signalled < .milliseconds(Self.graceMs) + Self.margin {
            if gateway.server.exitStatus() != nil {
                stoppedAfter = clock.now - signalled
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = gateway.server.logTail(3000)
        let stopped = try #require(stoppedAfter, "\(fault): still running \(Self.margin) after the grace: \(log)")
        #expect(stopped >= .milliseconds(Self.graceMs), "\(fault): exited after \(stopped), before the grace")

        for (request, status, body, answeredAt) in try await answers.value {
            #expect(status == 503, "\(fault), \(request.name): \(status) \(body)")
            let code = (try? JSONReader.parseDocument(Array(body.utf8)))?.document("error")?.string("code")
            let expected = request.mayHaveWritten ? ["unavailable", "outcome_unknown"] : ["unavailable"]
            #expect(code.map(expected.contains) == true, "\(fault), \(request.name): \(body)")
            // Answered at the deadline: the grace was given, and nothing waited for the backend.
            let after = answeredAt - signalled
            #expect(after >= .milliseconds(Self.graceMs - 100) && after < .milliseconds(Self.graceMs) + Self.margin,
                    "\(fault), \(request.name) answered \(after) after SIGTERM")
        }
    }
}
