import Foundation
import HTTPTypes
import PMBSON
import PMMongo
import PMTestSupport
import Testing
@testable import PermissionMongo

/// One retry budget for transient errors on every write path (`database.retry_budget_ms`,
/// here 500 ms): SecantusDB's `failCommand` (WriteConflict 112 with the
/// `TransientTransactionError` label, scoped to the gateway's appName) that never goes away
/// ends every path in 503 `unavailable` with `Retry-After` once the budget is spent — not
/// after the two minutes of the drivers' transaction API, never 500 — and writes nothing;
/// one that goes away after two failures is retried to success. Pre-hooks are called once
/// per document, not once per retry.
@Suite("retry budget: transient errors on every path")
struct RetryBudgetIntegrationTests {
    static let budgetMs = 500
    static let budget: Duration = .milliseconds(budgetMs)
    /// Far below the old two minutes, generous to a loaded machine.
    static let bounded: Duration = .seconds(20)

    static func yaml(hookPort: Int) -> String {
        let fields = "    fields:\n      name: { type: string, required: true }\n      price: { type: number }\n"
        return """
            server:
              max_batch_size: 20
            database:
              retry_budget_ms: \(budgetMs)
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              plain:
            \(fields)  screened:
            \(fields)  notified:
            \(fields)policies:
              plain: { editor: { actions: [create, read, update, delete] } }
              screened: { editor: { actions: [create, read] } }
              notified: { editor: { actions: [create, read] } }
            hooks:
              screened:
                pre_create:
                  - { url: "http://127.0.0.1:\(hookPort)/screen", timeout_ms: 15000 }
              notified:
                post_create:
                  - { url: "http://127.0.0.1:\(hookPort)/notify", timeout_ms: 15000 }
            """
    }

    /// A write request and the answer it gets while the fail point is armed.
    struct Case: Sendable {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var body: String
        var headers: HTTPFields = [:]
        /// Capped by attempts before the budget is spent (a mixed batch calling pre-hooks).
        var endsEarly = false
    }

    static func documents(_ names: String...) -> String {
        #"{"documents":["# + names.map { #"{"name":"\#($0)","price":1}"# }.joined(separator: ",") + "]}"
    }

    static func creates(_ collection: String, _ names: String...) -> String {
        #"{"operations":["# + names.map { #"{"op":"create","collection":"\#(collection)","data":{"name":"\#($0)"}}"# }
            .joined(separator: ",") + "]}"
    }

    static let failingCases: [Case] = [
        Case(name: "atomic batch", method: .post, path: "/plain/batch?atomic=true", body: documents("A1", "A2")),
        Case(name: "non-atomic create", method: .post, path: "/plain/batch", body: documents("N1", "N2")),
        Case(name: "create with a pre-hook", method: .post, path: "/screened/batch", body: documents("S1", "S2")),
        Case(name: "create with a post-hook", method: .post, path: "/notified/batch", body: documents("P1", "P2")),
        Case(name: "update by filter", method: .put, path: "/plain/batch",
             body: #"{"filter":{"price":1},"update":{"$set":{"price":2}}}"#),
        Case(name: "mixed batch", method: .post, path: "/batch", body: creates("plain", "M1", "M2")),
        Case(name: "mixed batch with a pre-hook", method: .post, path: "/batch", body: creates("screened", "MS1"),
             endsEarly: true),
        Case(name: "create with an Idempotency-Key", method: .post, path: "/plain/batch", body: documents("K1"),
             headers: [HTTPField.Name("Idempotency-Key")!: "budget-1"]),
    ]

    @Test func aTransientErrorThatDoesNotGoAwayEndsIn503UnavailableOnEveryPath() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await TestBackend.withFailPoint {
            let appName = "pm-budget-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(yaml: Self.yaml(hookPort: receiver.port), appName: appName) { api in
                let token = try await api.token()
                let seeded = try await api.post("/plain/batch", token: token, Self.documents("Seed 1", "Seed 2"))
                #expect(seeded.status == .created, "\(seeded.text)")
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                try await TestBackend.failCommand(
                    ["insert", "update"], errorCode: 112, errorLabels: ["TransientTransactionError"], alwaysOn: true,
                    appName: appName, pool: admin)
                let clock = ContinuousClock()
                for item in Self.failingCases {
                    let started = clock.now
                    let reply = try await api.send(item.method, item.path, token: token, body: item.body, headers: item.headers)
                    let waited = clock.now - started
                    #expect(reply.status == .serviceUnavailable, "\(item.name): \(reply.status.code) \(reply.text)")
                    #expect(reply.json.document("error")?.string("code") == "unavailable", "\(item.name): \(reply.text)")
                    #expect(reply.headers[.retryAfter] == "1", "\(item.name)")
                    #expect(reply.headers[HTTPField.Name("X-Request-Id")!] != nil, "\(item.name)")
                    #expect(waited < Self.bounded, "\(item.name) answered after \(waited)")
                    if !item.endsEarly {
                        #expect(waited >= Self.budget, "\(item.name) answered after \(waited): the budget was not spent")
                    }
                }
                // Each pre-hooked document was screened once (not once per retry); the mixed
                // batch, whose runs each call its pre-hooks again, at most 5 times.
                let screened = receiver.calls(to: "/screen").compactMap { $0.json.document("document")?.string("name") }
                #expect(screened.filter { $0 == "S1" }.count == 1 && screened.filter { $0 == "S2" }.count == 1,
                        "\(screened)")
                #expect((1...5).contains(screened.filter { $0 == "MS1" }.count), "\(screened)")

                // A non-atomic mixed batch: each operation answers for itself.
                let mixed = try await api.post(
                    "/batch", token: token,
                    #"{"operations":[{"op":"create","collection":"plain","data":{"name":"X1"}}],"options":{"atomic":false}}"#)
                #expect(mixed.status == .ok, "\(mixed.text)")
                let result = mixed.json.documents("results").first
                #expect(result?.int("status") == 503, "\(mixed.text)")
                #expect(result?.document("error")?.string("code") == "unavailable", "\(mixed.text)")

                try await TestBackend.disableFailCommand(pool: admin)
                // Nothing of any of them was written.
                let plain = try await api.get("/plain?limit=20", token: token)
                #expect(plain.json.int("count") == 2, "\(plain.text)")
                #expect(plain.json.documents("data").allSatisfy { $0.int("price") == 1 }, "\(plain.text)")
                for collection in ["screened", "notified"] {
                    #expect(try await api.get("/\(collection)", token: token).json.int("count") == 0, "\(collection)")
                }
            }
        }
    }

    /// `{times: 2}` on the command each path fails on: the third attempt goes through.
    @Test func aTransientErrorThatGoesAwayIsRetriedToSuccessOnEveryPath() async throws {
        let receiver = HooksReceiver()
        try await receiver.start()
        defer { Task { await receiver.stop() } }
        try await TestBackend.withFailPoint {
            let appName = "pm-budget-ok-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(yaml: Self.yaml(hookPort: receiver.port), appName: appName) { api in
                let token = try await api.token()
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let seeded = try await api.post("/plain/batch", token: token, Self.documents("Seed 1", "Seed 2"))
                #expect(seeded.status == .created, "\(seeded.text)")
                // The update first: the delivery worker of the post-hook case below updates
                // outbox records with the same appName and would take the `update` failures.
                let cases: [(command: String, Case, expected: HTTPResponse.Status)] = [
                    ("update", Case(name: "update by filter", method: .put, path: "/plain/batch",
                                    body: #"{"filter":{"price":1},"update":{"$set":{"price":2}}}"#), .ok),
                    ("insert", Case(name: "atomic batch", method: .post, path: "/plain/batch?atomic=true",
                                    body: Self.documents("A1", "A2")), .created),
                    ("insert", Case(name: "non-atomic create", method: .post, path: "/plain/batch",
                                    body: Self.documents("N1", "N2")), .created),
                    ("insert", Case(name: "create with a pre-hook", method: .post, path: "/screened/batch",
                                    body: Self.documents("S1", "S2")), .created),
                    ("insert", Case(name: "mixed batch", method: .post, path: "/batch",
                                    body: Self.creates("plain", "M1", "M2")), .ok),
                    ("insert", Case(name: "create with an Idempotency-Key", method: .post, path: "/plain/batch",
                                    body: Self.documents("K1"), headers: [HTTPField.Name("Idempotency-Key")!: "budget-2"]),
                     .created),
                    ("insert", Case(name: "create with a post-hook", method: .post, path: "/notified/batch",
                                    body: Self.documents("P1", "P2")), .created),
                ]
                for (command, item, expected) in cases {
                    try await TestBackend.failCommand(
                        [command], errorCode: 112, errorLabels: ["TransientTransactionError"], times: 2,
                        appName: appName, pool: admin)
                    let reply = try await api.send(item.method, item.path, token: token, body: item.body, headers: item.headers)
                    #expect(reply.status == expected, "\(item.name): \(reply.status.code) \(reply.text)")
                }
                try await TestBackend.disableFailCommand(pool: admin)
                let plain = try await api.get("/plain?limit=20", token: token).json
                #expect(plain.int("count") == 2 + 2 + 2 + 2 + 1, "\(plain)")
                #expect(plain.documents("data").filter { $0.string("name")?.hasPrefix("Seed") == true }
                    .allSatisfy { $0.int("price") == 2 })
                #expect(try await api.get("/screened", token: token).json.int("count") == 2)
                #expect(try await api.get("/notified", token: token).json.int("count") == 2)
                #expect(receiver.calls(to: "/screen").count == 2, "one pre-hook call per document")
            }
        }
    }
}
