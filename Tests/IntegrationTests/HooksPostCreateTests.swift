import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

@Suite("post_create hooks and the outbox")
struct HooksPostCreateTests {
    @Test func everyWrittenDocumentIsDeliveredOnceWithItsOwnEventId() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-9", tenant: "acme")
            // One invalid document: it is never delivered.
            let names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
            let body = #"{"documents":["# + names.map { #"{"name":"\#($0)","price":1}"# }.joined(separator: ",")
                + #",{"name":"No"}]}"#
            let reply = try await api.post("/products/batch", token: token, body)
            #expect(reply.status == .created)
            let created = reply.json.strings("created")
            #expect(created.count == 5)
            let calls = try await receiver.waitForCalls(to: "/index", count: 5)
            try await Task.sleep(for: .milliseconds(300))  // nothing more arrives
            #expect(receiver.calls(to: "/index").count == 5)
            let eventIds = calls.compactMap { $0.header("X-PM-Event-Id") }
            #expect(Set(eventIds).count == 5)
            #expect(calls.allSatisfy { $0.header("X-PM-Event") == "post_create" })
            #expect(calls.allSatisfy { $0.header("X-PM-Delivery-Attempt") == "1" })
            let payloads = calls.map(\.json)
            #expect(Set(payloads.compactMap { $0.string("id") }) == Set(created))
            for payload in payloads {
                #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "document"])
                #expect(payload.string("event") == "post_create")
                #expect(payload.string("tenant_id") == "acme")
                #expect(payload.document("user")?.string("id") == "user-9")
                #expect(payload.document("document")?.string("_id") == payload.string("id"))
                #expect(payload.document("document")?.string("created_by") == "user-9")
                #expect(payload.document("batch")?.int("size") == 6)
            }
            #expect(Set(payloads.compactMap { $0.document("document")?.string("name") }) == Set(names))
        }
        await receiver.stop()
    }

    @Test func anAtomicBatchRecordsDeliveriesOnlyWhenItCommits() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let failing = try await api.post(
                "/products/batch?atomic=true", token: token, #"{"documents":[{"name":"Good","price":1},{"name":"Bad","price":-1}]}"#)
            #expect(failing.status == .unprocessableContent)
            let committed = try await api.post(
                "/products/batch?atomic=true", token: token, HooksHarness.documents(["One one", "Two two"]))
            #expect(committed.status == .created)
            let calls = try await receiver.waitForCalls(to: "/index", count: 2)
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.calls(to: "/index").count == 2)
            #expect(Set(calls.compactMap { $0.json.string("id") }) == Set(committed.json.strings("created")))
        }
        await receiver.stop()
    }

    @Test func aSlowReceiverDoesNotDelayTheResponse() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.sleep(.seconds(12), at: "/index")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index", timeoutMs: 15_000)])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Quick one"]))
            #expect(reply.status == .created)
            // The response did not wait for the delivery: the receiver (12 s) has not answered yet.
            #expect(receiver.answered(at: "/index").isEmpty)
        }
        await receiver.stop()
    }

    @Test func deliveriesAreRetriedUntilTheReceiverIsBack() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.startOnStablePort()
        await receiver.stop()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")])
        let database = TestBackend.uniqueDatabaseName()
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        try await HooksHarness.with(yaml: yaml, database: database) { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Aaa", "Bbb", "Ccc"]))
            #expect(reply.json.strings("created").count == 3)
            // Every delivery has failed at least once (however slow a loaded machine is).
            let failed = try TestBSON.document(#"{"attempts":{"$gte":2}}"#)
            for _ in 0..<300 {
                if try await outbox.withConnection({ try $0.count(collection: "_pm_outbox", filter: failed) }) >= 3 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await receiver.restart()
            receiver.answer(503, at: "/index")  // still not ready: more retries
            try await Task.sleep(for: .milliseconds(400))
            receiver.answer(200, at: "/index")
            _ = try await waitForDistinctEvents(receiver, count: 3)
            let delivered = receiver.calls(to: "/index").filter { $0.json.string("id") != nil }
            #expect(Set(delivered.compactMap { $0.json.string("id") }) == Set(reply.json.strings("created")))
            #expect(delivered.contains { Int($0.header("X-PM-Delivery-Attempt") ?? "") ?? 0 > 1 })
            // Every retry of an event carries the same event id.
            let idsByEvent = Dictionary(grouping: delivered, by: { $0.header("X-PM-Event-Id") ?? "" })
                .mapValues { Set($0.compactMap { $0.json.string("id") }) }
            #expect(idsByEvent.values.allSatisfy { $0.count == 1 })
        }
        await receiver.stop()
    }

    @Test func pendingDeliveriesSurviveARestart() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.startOnStablePort()
        await receiver.stop()
        let database = TestBackend.uniqueDatabaseName()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")])
        let created = CreatedIds()
        try await HooksHarness.with(yaml: yaml, database: database) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["Keep one", "Keep two", "Keep three", "Keep four"]))
            created.set(reply.json.strings("created"))
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(created.ids.count == 4)
        #expect(receiver.calls.isEmpty)
        try await receiver.restart()
        try await HooksHarness.with(yaml: yaml, database: database) { _ in
            let events = try await waitForDistinctEvents(receiver, count: 4)
            #expect(events.count == 4)
        }
        let delivered = Set(receiver.calls(to: "/index").compactMap { $0.json.string("id") })
        #expect(delivered == Set(created.ids))
        await receiver.stop()
    }

    @Test func aDeliveryIsGivenUpAfterTheLastAttempt() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(500, at: "/index")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")], maxAttempts: 3)
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Doomed"]))
            #expect(reply.json.strings("created").count == 1, "\(reply.text)")
            _ = try await receiver.waitForCalls(to: "/index", count: 3)
            try await Task.sleep(for: .milliseconds(700))
            #expect(receiver.calls(to: "/index").count == 3)
            let metrics = try await api.get("/metrics", token: nil)
            #expect(metrics.text.contains(#"pm_hook_deliveries_total{result="dead"} 1"#))
        }
        await receiver.stop()
    }

    private func waitForDistinctEvents(_ receiver: HooksReceiver, count: Int) async throws -> Set<String> {
        let deadline = ContinuousClock.now + .seconds(20)
        var events: Set<String> = []
        while ContinuousClock.now < deadline {
            // Delivered = answered 2xx: the receiver answers 200 unless told otherwise.
            events = Set(receiver.calls(to: "/index").compactMap { $0.header("X-PM-Event-Id") })
            if events.count >= count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return events
    }
}

/// Ids handed out of a `@Sendable` test body.
final class CreatedIds: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var ids: [String] { lock.withLock { stored } }
    func set(_ ids: [String]) { lock.withLock { stored = ids } }
}

@Suite("post_create hooks: recorded with the documents")
struct HooksPostCreateRecordedTests {
    /// Without `?atomic=true`, documents that clash on a unique field fail alone; the others
    /// are written, each with its delivery in the same transaction, and only they are delivered.
    @Test func partialBatchDeliversExactlyTheWrittenDocuments() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_create", path: "/index")])
            .replacingOccurrences(
                of: "price: { type: number, required: true, min: 0 }\n",
                with: "price: { type: number, required: true, min: 0 }\n      sku:   { type: string, unique: true }\n")
        #expect(yaml.contains("sku:"))
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let seed = try await api.post("/products", token: token, #"{"name":"Seed","price":1,"sku":"DUP-1"}"#)
            #expect(seed.status == .created, "\(seed.text)")
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"Alpha","price":1,"sku":"NEW-1"},{"name":"Bravo","price":1,"sku":"DUP-1"},
                              {"name":"Charlie","price":1,"sku":"NEW-1"},{"name":"Delta","price":1}]}
                """)
            #expect(reply.status == .created, "\(reply.text)")
            let created = reply.json.strings("created")
            #expect(created.count == 2)
            #expect(reply.json.documents("failed").compactMap { $0.int("index") } == [1, 2])
            #expect(reply.json.documents("failed").allSatisfy { $0.document("error")?.string("code") == "duplicate_key" })
            let calls = try await receiver.waitForCalls(to: "/index", count: 3)
            try await Task.sleep(for: .milliseconds(300))  // nothing more arrives
            #expect(receiver.calls(to: "/index").count == 3)
            let delivered = Set(calls.compactMap { $0.json.document("document")?.string("name") })
            #expect(delivered == ["Seed", "Alpha", "Delta"])
        }
        await receiver.stop()
    }
}
