import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

@Suite("pre_create hooks")
struct HooksPreCreateTests {
    @Test func oneRejectedDocumentOfThree() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(422, forName: "Rejected one")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/validate")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-7", tenant: "acme", roles: ["editor"])
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["First one", "Rejected one", "Third one"]))
            #expect(reply.status == .created)
            let created = reply.json.strings("created")
            #expect(created.count == 2)
            let failed = reply.json.documents("failed")
            #expect(failed.count == 1)
            #expect(failed.first?.int("index") == 1)
            #expect(failed.first?.document("error")?.string("code") == "hook_rejected")
            #expect(failed.first?.document("error")?.string("message")
                    == "pre_create hook http://127.0.0.1:\(port)/validate rejected the document: status 422")

            let calls = receiver.calls(to: "/validate")
            #expect(calls.count == 3)
            let payloads = calls.map(\.json).sorted { ($0.int("index") ?? -1) < ($1.int("index") ?? -1) }
            #expect(payloads.map { $0.int("index") } == [0, 1, 2])
            #expect(Set(payloads.compactMap { $0.document("batch")?.string("id") }).count == 1)
            for (index, payload) in payloads.enumerated() {
                #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "document"])
                #expect(payload.string("event") == "pre_create")
                #expect(payload.string("collection") == "products")
                #expect(payload.string("tenant_id") == "acme")
                #expect(payload.document("user")?.string("id") == "user-7")
                #expect(payload.document("user")?.strings("roles") == ["editor"])
                #expect(payload.document("batch")?.int("size") == 3)
                let document = payload.document("document")
                #expect(document?.string("name") == ["First one", "Rejected one", "Third one"][index])
                #expect(document?.string("_id")?.count == 24)
                #expect(document?.string("tenant_id") == "acme")
                #expect(document?.string("created_by") == "user-7")
                #expect(calls[index].header("Content-Type") == "application/json")
                #expect(calls[index].header("X-PM-Event") == "pre_create")
                #expect(calls[index].header("X-PM-Signature") == nil)
            }
            // The ids the hook saw are the ids that were stored.
            #expect(Set(created).isSubset(of: Set(payloads.compactMap { $0.document("document")?.string("_id") })))
            let list = try await api.get("/products", token: token)
            #expect(list.json.int("count") == 2)
        }
        await receiver.stop()
    }

    @Test func everyHookOfTheEventMustPass() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(409, at: "/second")
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/first"), .init(event: "pre_create", path: "/second"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Only one"]))
            #expect(reply.json.strings("created").isEmpty)
            #expect(reply.json.documents("failed").first?.document("error")?.string("message")
                    == "pre_create hook http://127.0.0.1:\(port)/second rejected the document: status 409")
            #expect(receiver.calls(to: "/first").count == 1)
            #expect(receiver.calls(to: "/second").count == 1)
        }
        await receiver.stop()
    }

    @Test func aHookThatTakesTooLongRejectsWithinTheTimeout() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.sleep(.seconds(10), at: "/slow")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/slow", timeoutMs: 500)])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let started = ContinuousClock.now
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Slow one"]))
            let elapsed = ContinuousClock.now - started
            #expect(reply.status == .created)
            #expect(reply.json.documents("failed").first?.document("error")?.string("code") == "hook_rejected")
            #expect(reply.json.documents("failed").first?.document("error")?.string("message")
                    == "pre_create hook http://127.0.0.1:\(port)/slow rejected the document: timed out after 500 ms")
            #expect(elapsed >= .milliseconds(450))
            // The answer did not wait for the receiver (10 s): it has not answered yet.
            #expect(receiver.answered(at: "/slow").isEmpty)
        }
        await receiver.stop()
    }

    @Test func documentsOfABatchAreCheckedConcurrently() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.sleep(.seconds(1), at: "/validate")
        // A timeout far above the receiver's 1 s, so a loaded machine does not reject them;
        // one at a time, the receiver would never see two calls in flight.
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/validate", timeoutMs: 7000)])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let names = (1...8).map { "Product \($0)" }
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(names))
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 8)
            #expect(receiver.calls(to: "/validate").count == 8)
            #expect(receiver.mostInFlight(at: "/validate") > 1)
        }
        await receiver.stop()
    }

    @Test func aReceiverThatIsDownRejectsEveryDocumentAndTheGatewayStaysHealthy() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.startOnStablePort()
        await receiver.stop()  // nothing listens there now: connection refused
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/validate")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["One one", "Two two", "Three three"]))
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").isEmpty)
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [0, 1, 2])
            for failure in failed {
                #expect(failure.document("error")?.string("code") == "hook_rejected")
                #expect(failure.document("error")?.string("message")
                        == "pre_create hook http://127.0.0.1:\(port)/validate rejected the document: connection refused")
            }
            #expect(try await api.get("/healthz", token: nil).status == .ok)
            let list = try await api.get("/products", token: token)
            #expect(list.status == .ok)
            #expect(list.json.int("count") == 0)
            // And once the receiver is back, documents go through again.
            try await receiver.restart()
            let later = try await api.post("/products/batch", token: token, HooksHarness.documents(["Back again"]))
            #expect(later.json.strings("created").count == 1)
        }
        await receiver.stop()
    }

    @Test func anAtomicBatchWithOneRejectionWritesNothing() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(403, forName: "Not this one")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/validate")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch?atomic=true", token: token, HooksHarness.documents(["Fine one", "Not this one", "Fine two"]))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.json["created"] == .array([]))
            let failed = reply.json.documents("failed")
            #expect(failed.count == 1)
            #expect(failed.first?.int("index") == 1)
            #expect(failed.first?.document("error")?.string("code") == "hook_rejected")
            let list = try await api.get("/products", token: token)
            #expect(list.json.int("count") == 0)
        }
        await receiver.stop()
    }

    @Test func metricsCountHookCallsAndFailures() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(500, forName: "Broken one")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/validate")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            _ = try await api.post("/products/batch", token: token, HooksHarness.documents(["Good one", "Broken one"]))
            let metrics = try await api.get("/metrics", token: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"pm_hook_failures_total{event="pre_create",reason="status"} 1"#))
            #expect(metrics.text.contains(#"pm_hook_duration_seconds_count{event="pre_create",outcome="accepted"} 1"#))
            #expect(metrics.text.contains("pm_hook_outbox_pending"))
        }
        await receiver.stop()
    }
}
