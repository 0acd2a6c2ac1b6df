import Foundation
import PMBSON
import PMTestSupport
import Testing

/// Deliveries to different endpoints never wait for one another; an endpoint that keeps
/// failing is opened and probed (docs/API.md, "Isolation and the circuit breaker").
@Suite("hooks: isolation and the circuit breaker")
struct HooksIsolationTests {
    @Test func aFastEndpointIsNotHeldUpByASlowOne() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        // Long enough that the fast delivery arrives first on a machine loaded by the whole suite.
        receiver.sleep(.seconds(10), at: "/slow")
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "post_create", path: "/slow", timeoutMs: 20_000, collection: "orders"),
            .init(event: "post_create", path: "/fast"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let slow = try await api.post(
                "/orders/batch", token: token, HooksHarness.documents(["Slow 1", "Slow 2", "Slow 3", "Slow 4", "Slow 5", "Slow 6"]))
            #expect(slow.json.strings("created").count == 6, "\(slow.text)")
            // The slow endpoint's calls are under way (its lane full: max_in_flight 4) …
            #expect(try await receiver.waitForCalls(to: "/slow", count: 4).count >= 4)
            // … when a document of the other collection is written.
            let fast = try await api.post("/products/batch", token: token, HooksHarness.documents(["Fast one"]))
            #expect(fast.json.strings("created").count == 1)
            let delivered = try await receiver.waitForCalls(to: "/fast", count: 1)
            #expect(delivered.count == 1)
            #expect(delivered.first?.json.string("id") == fast.json.strings("created").first)
            // It arrived while every slow call was still waiting for its answer.
            let firstSlowAnswer = receiver.answered(at: "/slow").first
            if let received = delivered.first?.received, let firstSlowAnswer {
                #expect(received < firstSlowAnswer)
            }
            // The slow endpoint never had more than its max_in_flight, and gets everything.
            let slowCalls = try await receiver.waitForCalls(to: "/slow", count: 6)
            #expect(Set(slowCalls.compactMap { $0.json.string("id") }) == Set(slow.json.strings("created")))
            #expect(receiver.mostInFlight(at: "/slow") == 4)
        }
        await receiver.stop()
    }

    @Test func maxInFlightBoundsOneEndpoint() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.sleep(.milliseconds(400), at: "/index")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index", maxInFlight: 2)])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["One 1", "Two 2", "Three 3", "Four 4", "Five 5"]))
            let calls = try await receiver.waitForCalls(to: "/index", count: 5)
            #expect(Set(calls.compactMap { $0.json.string("id") }) == Set(reply.json.strings("created")))
            #expect(receiver.mostInFlight(at: "/index") == 2)
        }
        await receiver.stop()
    }

    static let openMs = 10_000

    @Test func anEndpointThatKeepsFailingIsOpenedThenProbed() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(500, at: "/flaky")
        let yaml = HooksHarness.yaml(
            port: port, hooks: [.init(event: "post_create", path: "/flaky")],
            // Open long enough that the receiver is told to answer 200 before the probe, on a
            // machine loaded by the whole suite.
            server: ["hook_breaker_failures: 3", "hook_breaker_open_ms: \(Self.openMs)"])
        let database = TestBackend.uniqueDatabaseName()
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        let openLine = #"pm_hook_endpoint_open{url="http://127.0.0.1:\#(port)/flaky"} "#
        try await HooksHarness.with(yaml: yaml, database: database) { api in
            let token = try await api.token()
            // Exported for every configured endpoint once the worker runs.
            let before = try await Self.metrics(api, containing: openLine + "0")
            #expect(before.contains(openLine + "0"), "\(before)")
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Flaky one"]))
            #expect(reply.json.strings("created").count == 1)
            _ = try await receiver.waitForCalls(to: "/flaky", count: 3)
            while receiver.answered(at: "/flaky").count < 3 { try await Task.sleep(for: .milliseconds(10)) }
            receiver.answer(200, at: "/flaky")
            let thirdFailure = try #require(receiver.answered(at: "/flaky").last)
            let open = try await Self.metrics(api, containing: openLine + "1")
            #expect(open.contains(openLine + "1"), "\(open)")
            #expect(open.contains(#"pm_hook_endpoint_failures_total{url="http://127.0.0.1:\#(port)/flaky",reason="status"} 3"#),
                    "\(open)")

            // Open: no call until the open time has passed (the retries would be due every
            // 200 ms), then one probe, which succeeds: delivered at its fourth attempt.
            let calls = try await receiver.waitForCalls(to: "/flaky", count: 4)
            #expect(calls.count == 4)
            let probe = try #require(receiver.answered(at: "/flaky").dropFirst(3).first)
            #expect(probe - thirdFailure >= .milliseconds(Self.openMs), "probed \(probe - thirdFailure) after opening")
            var delivered: [BSONDocument] = []
            for _ in 0..<100 {
                delivered = try await outbox.withConnection {
                    try $0.find(collection: "_pm_outbox", filter: TestBSON.document(#"{"status":"delivered"}"#))
                }.map { try BSONDocument(bsonBytes: $0) }
                if !delivered.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(delivered.map { $0.int("attempts") } == [4])
            #expect(receiver.calls(to: "/flaky").last?.header("X-PM-Delivery-Attempt") == "4")
            let closed = try await Self.metrics(api, containing: openLine + "0")
            #expect(closed.contains(openLine + "0"), "\(closed)")
        }
        await receiver.stop()
    }

    /// `/metrics` once it contains `text` (or after 10 s).
    static func metrics(_ api: GatewayClient, containing text: String) async throws -> String {
        var metrics = ""
        for _ in 0..<200 {
            metrics = try await api.get("/metrics", token: nil).text
            if metrics.contains(text) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return metrics
    }
}
