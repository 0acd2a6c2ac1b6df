import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

/// `server.rate_limits` through the real stack. Refill rates are so slow (one token in
/// 1000 s) that no token comes back while a test runs: the counts are exact whatever the
/// machine's speed, and nothing waits for the clock.
@Suite("Rate limits")
struct RateLimitTests {
    static func yaml(_ limits: String) -> String {
        """
        server:
          max_batch_size: 20
          rate_limits:
        \(limits.indented(by: 4))
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          tasks:
            fields:
              title: { type: string, required: true }
              points: { type: integer, min: 0 }
        policies:
          tasks:
            member: { actions: [create, read, update, delete] }
        """
    }

    static let tenantLimit = yaml("per_tenant: { documents_per_second: 0.001, burst: 5 }")
    static let userLimit = yaml("per_user: { requests_per_second: 0.001, burst: 3 }")

    static func documents(_ count: Int) -> String {
        #"{"documents":["# + (0..<count).map { #"{"title":"T\#($0)"}"# }.joined(separator: ",") + "]}"
    }

    @Test func aTenantsDocumentsAreLimitedThen429WithRetryAfter() async throws {
        try await GatewayHarness.with(yaml: Self.tenantLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            let created = try await api.post("/tasks/batch", token: alice, Self.documents(3))
            #expect(created.status == .created)
            #expect(created.headers[.init("X-RateLimit-Limit")!] == "5")
            #expect(created.headers[.init("X-RateLimit-Remaining")!] == "2")
            #expect(created.headers[.init("X-RateLimit-Scope")!] == "tenant")
            let reset = try #require(created.headers[.init("X-RateLimit-Reset")!].flatMap { Int($0) })
            #expect(reset >= 1)

            // 3 more documents do not fit in the 2 left: refused whole, nothing written.
            let refused = try await api.post("/tasks/batch", token: alice, Self.documents(3))
            #expect(refused.status == .tooManyRequests)
            let error = try #require(refused.json.document("error"))
            #expect(error.string("code") == "rate_limited")
            #expect(error.document("details")?.string("scope") == "tenant")
            #expect(error.document("details")?.int("requested") == 3)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter >= 1)
            #expect(refused.headers[.init("X-RateLimit-Remaining")!] == "2")
            #expect(refused.headers[.init("X-RateLimit-Limit")!] == "5")
            #expect(try await api.get("/tasks", token: alice).json.int("count") == 3)

            // The bucket is the tenant's: another user of it is refused too…
            let bob = try await api.token("bob", tenant: "acme", roles: ["member"])
            #expect(try await api.post("/tasks/batch", token: bob, Self.documents(3)).status == .tooManyRequests)
            // …another tenant is not.
            let carol = try await api.token("carol", tenant: "globex", roles: ["member"])
            let other = try await api.post("/tasks/batch", token: carol, Self.documents(5))
            #expect(other.status == .created)
            #expect(other.headers[.init("X-RateLimit-Remaining")!] == "0")

            // Updates and deletes count their documents too; reads do not.
            let ids = try await api.get("/tasks", token: alice).json.documents("data").compactMap { $0["_id"] }
                .compactMap { value -> String? in if case .string(let s) = value { s } else { nil } }
            #expect(ids.count == 3)
            let updated = try await api.put("/tasks/batch", token: alice, #"{"ids":\#(quoted(Array(ids.prefix(2)))),"update":{"points":1}}"#)
            #expect(updated.status == .ok)
            #expect(updated.headers[.init("X-RateLimit-Remaining")!] == "0")
            let deleted = try await api.delete("/tasks/\(ids[2])", token: alice)
            #expect(deleted.status == .tooManyRequests)
            #expect(deleted.json.document("error")?.string("code") == "rate_limited")
            #expect(try await api.get("/tasks/\(ids[2])", token: alice).status == .ok)
        }
    }

    @Test func aBatchLargerThanTheBurstCanNeverFit() async throws {
        try await GatewayHarness.with(yaml: Self.tenantLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            let tooLarge = try await api.post("/tasks/batch", token: alice, Self.documents(6))
            #expect(tooLarge.status == .tooManyRequests)
            let error = try #require(tooLarge.json.document("error"))
            #expect(error.string("code") == "rate_limited")
            #expect(error.string("message")?.contains("can never fit") == true)
            #expect(error.document("details")?.int("limit") == 5)
            #expect(error.document("details")?.int("requested") == 6)
            #expect(tooLarge.headers[.retryAfter] == nil)
            // It took nothing: the whole burst is still there.
            #expect(tooLarge.headers[.init("X-RateLimit-Remaining")!] == "5")
            #expect(try await api.post("/tasks/batch", token: alice, Self.documents(5)).status == .created)
        }
    }

    @Test func aReplayedIdempotentAnswerTakesNoDocuments() async throws {
        try await GatewayHarness.with(yaml: Self.tenantLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            let key: HTTPFields = [.init("Idempotency-Key")!: "create-two"]
            let first = try await api.send(.post, "/tasks/batch", token: alice, body: Self.documents(2), headers: key)
            #expect(first.status == .created)
            #expect(first.headers[.init("X-RateLimit-Remaining")!] == "3")
            let replay = try await api.send(.post, "/tasks/batch", token: alice, body: Self.documents(2), headers: key)
            #expect(replay.status == .created)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            let rest = try await api.post("/tasks/batch", token: alice, Self.documents(3))
            #expect(rest.status == .created)
            #expect(rest.headers[.init("X-RateLimit-Remaining")!] == "0")
        }
    }

    @Test func updatesByFilterAreChargedForWhatTheySelect() async throws {
        try await GatewayHarness.with(yaml: Self.tenantLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            _ = try await api.create("tasks", token: alice, [#"{"title":"a","points":1}"#, #"{"title":"b","points":1}"#])
            let updated = try await api.put("/tasks/batch", token: alice, #"{"filter":{"points":1},"update":{"points":2}}"#)
            #expect(updated.status == .ok)
            #expect(updated.json.int("modified") == 2)
            #expect(updated.headers[.init("X-RateLimit-Remaining")!] == "1")
            let refused = try await api.delete("/tasks/batch", token: alice, #"{"filter":{"points":2}}"#)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json.document("error")?.document("details")?.int("requested") == 2)
            #expect(try await api.get("/tasks", token: alice).json.int("count") == 2)
        }
    }

    @Test func mixedBatchesCountTheirWrites() async throws {
        try await GatewayHarness.with(yaml: Self.tenantLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            let batch = #"""
                {"operations":[
                  {"op":"create","collection":"tasks","data":{"title":"one"}},
                  {"op":"create","collection":"tasks","data":{"title":"two"}},
                  {"op":"update","collection":"tasks","id":{"$ref":0},"data":{"points":4}},
                  {"op":"list","collection":"tasks","filter":{}}]}
                """#
            let reply = try await api.post("/batch", token: alice, batch)
            #expect(reply.status == .ok)
            #expect(reply.json["success"] == .bool(true))
            #expect(reply.headers[.init("X-RateLimit-Remaining")!] == "2")
            let refused = try await api.post("/batch", token: alice, batch)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json.document("error")?.string("code") == "rate_limited")
            #expect(try await api.get("/tasks", token: alice).json.int("count") == 2)
        }
    }

    @Test func aUsersRequestsAreLimited() async throws {
        try await GatewayHarness.with(yaml: Self.userLimit) { api in
            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            for remaining in ["2", "1", "0"] {
                let reply = try await api.get("/tasks", token: alice)
                #expect(reply.status == .ok)
                #expect(reply.headers[.init("X-RateLimit-Limit")!] == "3")
                #expect(reply.headers[.init("X-RateLimit-Remaining")!] == remaining)
                #expect(reply.headers[.init("X-RateLimit-Scope")!] == "user")
            }
            let refused = try await api.post("/tasks/batch", token: alice, Self.documents(1))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json.document("error")?.string("code") == "rate_limited")
            #expect(refused.json.document("error")?.document("details")?.string("scope") == "user")
            #expect(try #require(refused.headers[.retryAfter].flatMap { Int($0) }) >= 1)
            #expect(refused.headers[.init("X-RateLimit-Remaining")!] == "0")

            // Another user of the tenant, and the same user id in another tenant, have their own.
            let bob = try await api.token("bob", tenant: "acme", roles: ["member"])
            #expect(try await api.get("/tasks", token: bob).status == .ok)
            let otherAlice = try await api.token("alice", tenant: "globex", roles: ["member"])
            #expect(try await api.get("/tasks", token: otherAlice).status == .ok)
            // No token: 401 before any limit, and no headers.
            let anonymous = try await api.get("/tasks", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.init("X-RateLimit-Limit")!] == nil)
            // Health and metrics are not limited.
            #expect(try await api.get("/healthz", token: nil).status == .ok)
        }
    }

    @Test func refusalsAreCountedInMetrics() async throws {
        let both = Self.yaml("""
            per_tenant: { documents_per_second: 0.001, burst: 2 }
            per_user: { requests_per_second: 0.001, burst: 4 }
            """)
        try await GatewayHarness.with(yaml: both) { api in
            let before = try await api.get("/metrics", token: nil).text
            #expect(before.contains(#"pm_rate_limited_total{scope="tenant"} 0"#))
            #expect(before.contains(#"pm_rate_limited_total{scope="user"} 0"#))

            let alice = try await api.token("alice", tenant: "acme", roles: ["member"])
            // Reads show the user's limit, writes the tenant's.
            let read = try await api.get("/tasks", token: alice)
            #expect(read.headers[.init("X-RateLimit-Scope")!] == "user")
            #expect(read.headers[.init("X-RateLimit-Remaining")!] == "3")
            let write = try await api.post("/tasks/batch", token: alice, Self.documents(2))
            #expect(write.status == .created)
            #expect(write.headers[.init("X-RateLimit-Scope")!] == "tenant")
            #expect(write.headers[.init("X-RateLimit-Remaining")!] == "0")
            #expect(try await api.post("/tasks/batch", token: alice, Self.documents(1)).status == .tooManyRequests)
            #expect(try await api.get("/tasks", token: alice).status == .ok)
            let userRefused = try await api.get("/tasks", token: alice)
            #expect(userRefused.status == .tooManyRequests)
            #expect(userRefused.headers[.init("X-RateLimit-Scope")!] == "user")

            let after = try await api.get("/metrics", token: nil).text
            #expect(after.contains(#"pm_rate_limited_total{scope="tenant"} 1"#))
            #expect(after.contains(#"pm_rate_limited_total{scope="user"} 1"#))
        }
    }
}
