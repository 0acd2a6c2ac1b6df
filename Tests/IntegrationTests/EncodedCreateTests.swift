import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

/// `POST /{collection}/batch` takes documents from the request's bytes to the insert's
/// bytes (`EncodedCreateBatch`, `EncodedNewDocument`); the documents that path leaves to
/// the model path are decided there. One batch may mix both: what is stored and what is
/// reported must be the same either way.
@Suite("POST /{collection}/batch, byte path")
struct EncodedCreateTests {
    @Test func documentsOfBothPathsInOneBatchAreStoredAlike() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[
                  {"name":"Plain","price":10,"qty":2,"released":"2024-03-01T12:00:00+02:00","tags":["a"],"dims":{"w":1.5}},
                  {"name":"Integral double","price":10.5,"qty":3.0},
                  {"name":"Own fields","price":1,"_id":"mine","tenant_id":"other-tenant","created_by":"someone"},
                  {"name":"Bad","price":-1},
                  {"name":"Escaped \\"quote\\" \\u00e9","price":1,"active":false},
                  {"name":"Wrong type","price":1,"dims":{"w":"wide"}}
                ]}
                """)
            #expect(reply.status == .created)
            let created = reply.json.strings("created")
            #expect(created.count == 4)
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [3, 5])
            #expect(failed.map { $0.document("error")?.string("message") } == ["price must be at least 0", "dims.w must be a number"])

            let plain = try await api.get("/products/\(created[0])", token: token).json
            #expect(plain.string("released") == "2024-03-01T10:00:00.000Z")
            #expect(plain["qty"] == .int32(2))
            #expect(plain["dims"] == .document(["w": 1.5]))
            #expect(plain["active"] == .bool(true))
            #expect(plain.string("tenant_id") == "acme-corp")

            let integral = try await api.get("/products/\(created[1])", token: token).json
            #expect(integral["qty"] == .int32(3))

            let own = try await api.get("/products/\(created[2])", token: token).json
            #expect(own.string("_id") == created[2])
            #expect(own.string("tenant_id") == "acme-corp")
            #expect(own.string("created_by") == "user-123")

            let escaped = try await api.get("/products/\(created[3])", token: token).json
            #expect(escaped.string("name") == "Escaped \"quote\" é")
            #expect(escaped["active"] == .bool(false))

            // Only this tenant's four documents exist.
            #expect(try await api.get("/products", token: token).json.int("count") == 4)
            let other = try await api.token("u2", tenant: "other-tenant", roles: ["admin"])
            #expect(try await api.get("/products", token: other).json.int("count") == 0)
        }
    }

    @Test func atomicBatchWithoutUniqueFieldsIsAllOrNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token("a", roles: ["admin"])
            let bad = try await api.post("/notes/batch?atomic=true", token: token, """
                {"documents":[{"text":"one"},{"text":"two","extra":1},{"text":"three"}]}
                """)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json.strings("created").isEmpty)
            #expect(bad.json.documents("failed").map { $0.document("error")?.string("message") } == ["extra is not an allowed field"])
            #expect(try await api.get("/notes", token: token).json.int("count") == 0)

            let good = try await api.post("/notes/batch?atomic=true", token: token, """
                {"documents":[{"text":"one"},{"text":"two"}]}
                """)
            #expect(good.status == .created)
            #expect(good.json.strings("created").count == 2)
            #expect(try await api.get("/notes", token: token).json.int("count") == 2)
        }
    }

    /// Schema and policy failures on the byte path, atomic (422, every failure listed,
    /// nothing written) and not (partial success).
    @Test func policyAndSchemaFailuresOnTheBytePath() async throws {
        let yaml = """
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              things:
                fields:
                  kind: { type: string, required: true }
                  n:    { type: integer, min: 0 }
            policies:
              things:
                maker: { actions: [create, read], when: doc.kind == "ok" and doc.created_by == user.id }
            """
        try await GatewayHarness.with(yaml: yaml) { api in
            let token = try await api.token("m", roles: ["maker"])
            let body = #"{"documents":[{"kind":"ok","n":1},{"kind":"no"},{"kind":"ok","n":-1},{"kind":"ok"}]}"#
            let denied = "the caller's policy does not allow create of this document"

            let atomic = try await api.post("/things/batch?atomic=true", token: token, body)
            #expect(atomic.status == .unprocessableContent)
            #expect(atomic.json.strings("created").isEmpty)
            let atomicFailures = atomic.json.documents("failed")
            #expect(atomicFailures.map { $0.int("index") } == [1, 2])
            #expect(atomicFailures.map { $0.document("error")?.string("code") } == ["forbidden", "schema_validation"])
            #expect(atomicFailures.map { $0.document("error")?.string("message") } == [denied, "n must be at least 0"])
            #expect(try await api.get("/things", token: token).json.int("count") == 0)

            let partial = try await api.post("/things/batch", token: token, body)
            #expect(partial.status == .created)
            #expect(partial.json.strings("created").count == 2)
            #expect(partial.json.documents("failed").map { $0.int("index") } == [1, 2])
            #expect(try await api.get("/things", token: token).json.int("count") == 2)
        }
    }

    @Test func malformedBodiesAreReportedAsTheReaderReportsThem() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let cases: [(String, String)] = [
                (#"{"documents":[{"name":"abc","price":01}]}"#, "request body is not valid JSON: number with a leading zero at byte 36"),
                (#"{"documents":[{"name":"abc","name":"x"}]}"#, #"request body is not valid JSON: duplicate key "name" at byte 28"#),
                (#"{"documents":[{"name":"abc"},]}"#, "request body is not valid JSON: trailing comma before ']' at byte 29"),
                (#"{"documents":[{"name":"abc"}], "x":1}"#, #"unknown key "x" in request body (allowed: documents)"#),
                (#"{"documents":[{"name":"abc"}, 2]}"#, "documents[1] must be a JSON object"),
            ]
            for (body, message) in cases {
                let reply = try await api.post("/products/batch", token: token, body)
                #expect(reply.status == .badRequest)
                #expect(reply.json.document("error")?.string("message") == message, "\(body)")
            }
        }
    }
}
