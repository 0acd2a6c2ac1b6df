import Foundation
import HTTPTypes
import PMBSON
import Testing

/// `Idempotency-Key` through the real stack: the answer is stored with the writes and
/// replayed byte for byte; another request with the key is refused; the key belongs to one
/// tenant, user, method and path; a request that wrote nothing stores nothing.
@Suite struct IdempotencyTests {
    static func key(_ value: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: value] }
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    @Test func aCreateIsReplayedAndRunsOnce() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let body = #"{"documents":[{"name":"Keyed one","price":1},{"name":"x","price":2},{"name":"Keyed two","price":3}]}"#
            let first = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("create-1"))
            #expect(first.status == .created)
            #expect(first.json.strings("created").count == 2)
            #expect(first.headers[Self.replayed] == nil)
            let again = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("create-1"))
            #expect(again.status == .created)
            #expect(again.text == first.text)
            #expect(again.headers[Self.replayed] == "true")
            #expect(try await api.get("/products", token: token).json.int("count") == 2)
        }
    }

    @Test func theSameKeyWithAnotherBodyIsRefused() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let first = try await api.send(
                .post, "/products/batch", token: token, body: #"{"documents":[{"name":"Original","price":1}]}"#,
                headers: Self.key("k"))
            #expect(first.status == .created)
            let other = try await api.send(
                .post, "/products/batch", token: token, body: #"{"documents":[{"name":"Another","price":1}]}"#,
                headers: Self.key("k"))
            #expect(other.status == .unprocessableContent)
            #expect(other.json.document("error")?.string("code") == "idempotency_key_reused")
            // The query is part of the request: `?atomic=true` with the same body is another request.
            let atomic = try await api.send(
                .post, "/products/batch?atomic=true", token: token, body: #"{"documents":[{"name":"Original","price":1}]}"#,
                headers: Self.key("k"))
            #expect(atomic.json.document("error")?.string("code") == "idempotency_key_reused")
            #expect(try await api.get("/products", token: token).json.int("count") == 1)
        }
    }

    @Test func aKeyBelongsToOneTenantUserMethodAndPath() async throws {
        try await GatewayHarness.with { api in
            let body = #"{"documents":[{"name":"Scoped","price":1}]}"#
            let callers = [
                try await api.token("u1", tenant: "acme", roles: ["admin"]),
                try await api.token("u2", tenant: "acme", roles: ["admin"]),
                try await api.token("u1", tenant: "globex", roles: ["admin"]),
            ]
            for token in callers {
                let reply = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("shared"))
                #expect(reply.status == .created)
                #expect(reply.headers[Self.replayed] == nil)
            }
            let single = try await api.send(
                .post, "/products", token: callers[0], body: #"{"name":"Single","price":1}"#, headers: Self.key("shared"))
            #expect(single.status == .created)
            #expect(single.headers[Self.replayed] == nil)
            #expect(try await api.get("/products", token: callers[0]).json.int("count") == 3)
            #expect(try await api.get("/products", token: callers[2]).json.int("count") == 1)
        }
    }

    @Test func malformedKeysAreRefused() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            for key in ["", String(repeating: "k", count: 256), "caf\u{e9}", "tab\there"] {
                let reply = try await api.send(
                    .post, "/products/batch", token: token, body: #"{"documents":[{"name":"Never","price":1}]}"#,
                    headers: Self.key(key))
                #expect(reply.status == .badRequest, "key \(key.debugDescription)")
                #expect(reply.json.document("error")?.string("message")?.contains("Idempotency-Key") == true)
            }
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
        }
    }

    @Test func anUpdateIsAppliedOnceAndItsVersionSavedOnce() async throws {
        try await GatewayHarness.with(yaml: ChangeFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let id = try #require(try await api.post(
                "/products/batch", token: token, #"{"documents":[{"name":"Counter","price":1,"qty":0}]}"#
            ).json.strings("created").first)
            let body = #"{"ids":["\#(id)"],"update":{"$inc":{"qty":5}}}"#
            let first = try await api.send(.put, "/products/batch", token: token, body: body, headers: Self.key("inc"))
            let again = try await api.send(.put, "/products/batch", token: token, body: body, headers: Self.key("inc"))
            #expect(first.status == .ok)
            #expect(again.text == first.text)
            #expect(again.headers[Self.replayed] == "true")
            #expect(try await api.get("/products/\(id)", token: token).json.int("qty") == 5)
            #expect(try await api.get("/products/\(id)/versions", token: token).json.int("count") == 1)
            // A single-document delete with a key: 204, then the same 204 again without work.
            let delete = try await api.send(.delete, "/products/\(id)", token: token, headers: Self.key("del"))
            let deleteAgain = try await api.send(.delete, "/products/\(id)", token: token, headers: Self.key("del"))
            #expect(delete.status == .noContent)
            #expect(deleteAgain.status == .noContent)
            #expect(deleteAgain.headers[Self.replayed] == "true")
        }
    }

    @Test func aRequestThatWroteNothingStoresNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let failing = #"{"documents":[{"name":"Fine","price":1},{"name":"Bad","price":-1}]}"#
            let refused = try await api.send(
                .post, "/products/batch?atomic=true", token: token, body: failing, headers: Self.key("atomic"))
            #expect(refused.status == .unprocessableContent)
            // Nothing was stored for the key: the same key with a corrected body runs.
            let corrected = try await api.send(
                .post, "/products/batch?atomic=true", token: token,
                body: #"{"documents":[{"name":"Fine","price":1},{"name":"Good","price":1}]}"#, headers: Self.key("atomic"))
            #expect(corrected.status == .created)
            #expect(corrected.headers[Self.replayed] == nil)
            // A whole-request refusal (403: a viewer may not create) stores nothing either.
            let viewer = try await api.token(roles: ["viewer"])
            let forbidden = try await api.send(
                .post, "/products/batch", token: viewer, body: failing, headers: Self.key("viewer"))
            #expect(forbidden.status == .forbidden)
            #expect(try await api.get("/products", token: token).json.int("count") == 2)
        }
    }

    @Test func uniqueClashesOfAPartialBatchAreReportedAsWithoutAKey() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            _ = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"Stored","price":1,"sku":"KEY-1"}]}"#)
            let body = """
                {"documents":[{"name":"Clash","price":1,"sku":"KEY-1"},{"name":"Twin A","price":1,"sku":"KEY-2"},
                              {"name":"Twin B","price":1,"sku":"KEY-2"},{"name":"Fine","price":1,"sku":"KEY-3"}]}
                """
            let reply = try await api.send(.post, "/products/batch", token: token, body: body, headers: Self.key("unique"))
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 2)
            #expect(reply.json.documents("failed").map { $0.int("index") } == [0, 2])
            #expect(reply.json.documents("failed").allSatisfy { $0.document("error")?.string("code") == "duplicate_key" })
            #expect(try await api.get("/products", token: token).json.int("count") == 3)
        }
    }

    @Test func anUpdateThatWouldDuplicateAUniqueValueFailsAloneInTheKeysTransaction() async throws {
        try await GatewayHarness.with(yaml: ChangeFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let ids = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"Has A","price":1,"sku":"A"},{"name":"Has B","price":1,"sku":"B"},
                              {"name":"Has none","price":1}]}
                """).json.strings("created")
            #expect(ids.count == 3)
            let body = #"{"ids":["\#(ids[1])","\#(ids[2])"],"update":{"$set":{"sku":"A"}}}"#
            let reply = try await api.send(.put, "/products/batch", token: token, body: body, headers: Self.key("dup"))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json.int("modified") == 0)
            #expect(reply.json.documents("failed").count == 2)
            #expect(reply.json.documents("failed").allSatisfy { $0.document("error")?.string("code") == "duplicate_key" })
            // Without a key, the same update gives the same answer.
            let plain = try await api.send(.put, "/products/batch", token: token, body: body)
            #expect(plain.json.int("modified") == 0)
            #expect(plain.json.documents("failed").count == 2)
        }
    }

    /// The document that already holds the value keeps it, wherever it comes in the
    /// selection; the others fail. Found before writing: a duplicate key at write time
    /// would end the key's transaction (before, it was retried until the retry budget ran
    /// out and answered 503).
    @Test func theDocumentHoldingAUniqueValueKeepsItWhenOthersAreSetToIt() async throws {
        try await GatewayHarness.with(yaml: ChangeFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let ids = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"None 1","price":1},{"name":"Has A","price":1,"sku":"A"},
                              {"name":"None 2","price":1}]}
                """).json.strings("created")
            #expect(ids.count == 3)
            let body = #"{"ids":["\#(ids[0])","\#(ids[1])","\#(ids[2])"],"update":{"$set":{"sku":"A"}}}"#
            for headers in [Self.key("holder"), [:]] {
                let started = ContinuousClock.now
                let reply = try await api.send(.put, "/products/batch", token: token, body: body, headers: headers)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(ContinuousClock.now - started < .seconds(5), "answered after the retry budget")
                let failed = reply.json.documents("failed")
                #expect(Set(failed.compactMap { $0.string("id") }) == [ids[0], ids[2]], "\(reply.text)")
                #expect(failed.allSatisfy { $0.document("error")?.string("code") == "duplicate_key" })
            }
            #expect(try await api.get("/products/\(ids[1])", token: token).json.string("sku") == "A")
            for id in [ids[0], ids[2]] {
                #expect(try await api.get("/products/\(id)", token: token).json.string("sku") == nil)
            }
        }
    }

    /// A clash the checks before writing cannot see — here an increment of consecutive unique
    /// values, written in `_id` order, where the first takes the value the second still holds —
    /// ends the transaction at write time. In the key's transaction the whole request then
    /// runs again without the clashing document, as a request without a key does in its own
    /// (before, the dead transaction was retried until the retry budget ran out: 503).
    @Test func aClashAtWriteTimeRunsTheKeysTransactionAgainWithoutItsDocument() async throws {
        let yaml = """
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              tickets:
                fields:
                  seat: { type: integer, unique: true }
            policies:
              tickets:
                admin: { actions: [create, read, update] }
            """
        try await GatewayHarness.with(yaml: yaml) { api in
            let token = try await api.token(roles: ["admin"])
            var answers: [(modified: Int?, failed: [String])] = []
            for (round, headers) in [Self.key("seats"), [:]].enumerated() {
                let seat = 100 * round
                let body = #"{"documents":[{"seat":\#(seat + 1)},{"seat":\#(seat + 2)}]}"#
                let ids = try await api.post("/tickets/batch", token: token, body).json.strings("created")
                #expect(ids.count == 2)
                let started = ContinuousClock.now
                let reply = try await api.send(
                    .put, "/tickets/batch", token: token,
                    body: #"{"ids":["\#(ids[0])","\#(ids[1])"],"update":{"$inc":{"seat":1}}}"#, headers: headers)
                #expect(reply.status == .ok, "round \(round): \(reply.text)")
                #expect(ContinuousClock.now - started < .seconds(5), "round \(round): answered after the retry budget")
                let failed = reply.json.documents("failed")
                #expect(failed.allSatisfy { $0.document("error")?.string("code") == "duplicate_key" }, "\(reply.text)")
                answers.append((reply.json.int("modified"), failed.compactMap { $0.string("id") }.map { $0 == ids[0] ? "first" : "second" }))
                #expect(try await api.get("/tickets/\(ids[1])", token: token).json.int("seat") == seat + 3)
            }
            #expect(answers.count == 2 && answers[0].modified == answers[1].modified && answers[0].failed == answers[1].failed,
                    "with and without a key: \(answers)")
            #expect(answers.first?.failed == ["first"], "\(answers)")
        }
    }

    @Test func mixedBatchesAreReplayedButValidateOnlyStoresNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let body = #"{"operations":[{"op":"create","collection":"products","data":{"name":"Mixed","price":1}}]}"#
            let first = try await api.send(.post, "/batch", token: token, body: body, headers: Self.key("mixed"))
            let again = try await api.send(.post, "/batch", token: token, body: body, headers: Self.key("mixed"))
            #expect(first.status == .ok)
            #expect(again.text == first.text)
            #expect(again.headers[Self.replayed] == "true")
            let dryRun = #"{"operations":[{"op":"create","collection":"products","data":{"name":"Dry","price":1}}],"options":{"validate_only":true}}"#
            _ = try await api.send(.post, "/batch", token: token, body: dryRun, headers: Self.key("dry"))
            let dryAgain = try await api.send(.post, "/batch", token: token, body: dryRun, headers: Self.key("dry"))
            #expect(dryAgain.status == .ok)
            #expect(dryAgain.headers[Self.replayed] == nil)
            #expect(try await api.get("/products", token: token).json.int("count") == 1)
        }
    }
}
