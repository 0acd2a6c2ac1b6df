import PMBSON
import Testing
@testable import PermissionMongo

/// Real request and answer bodies against the document the gateway serves, judged by
/// jsonschema: the document and the gateway agree on which bodies are valid.
@Suite struct OpenAPIBodyTests {
    private static func schema(_ path: String, _ method: String) -> [String] {
        ["paths", path, method, "requestBody", "content", "application/json", "schema"]
    }

    private static func answer(_ path: String, _ method: String, _ status: String) -> [String] {
        ["paths", path, method, "responses", status, "content", "application/json", "schema"]
    }

    /// Documents sent alone in a create batch: `true` when valid.
    static let products: [(document: String, valid: Bool)] = [
        (#"{"name":"Widget","price":9.5,"qty":3,"category":"widgets","sku":"ABC-12","tags":["a","b"],"dims":{"w":1.5},"released":"2024-03-01T12:00:00Z","active":false,"extra":"kept"}"#, true),
        (#"{"name":"Nulls","price":0,"qty":null,"category":null,"dims":null}"#, true),
        (#"{"name":"ab","price":1}"#, false),
        (#"{"name":"Widget","price":-1}"#, false),
        (#"{"name":"Widget"}"#, false),
        (#"{"name":"Widget","price":null}"#, false),
        (#"{"name":"Widget","price":1,"qty":1.5}"#, false),
        (#"{"name":"Widget","price":1,"category":"toys"}"#, false),
        (#"{"name":"Widget","price":1,"sku":"abc-1"}"#, false),
        (#"{"name":"Widget","price":1,"tags":[1]}"#, false),
        (#"{"name":"Widget","price":1,"dims":{"w":"wide"}}"#, false),
        (#"{"name":"Widget","price":1,"released":5}"#, false),
    ]

    @Test func createBodies() async throws {
        try await GatewayHarness.with { api in
            let admin = try await api.token(roles: ["admin"])
            let document = try await api.get("/openapi.json", token: admin).text
            let bodies = Self.products.map { #"{"documents":["# + $0.document + "]}" }
            let verdicts = try await OpenAPITools.check(bodies, at: Self.schema("/products/batch", "post"), in: document)
            for (index, body) in bodies.enumerated() {
                let valid = Self.products[index].valid
                #expect((verdicts[index] == nil) == valid, "\(body): \(verdicts[index] ?? "valid")")
                let created = try await api.post("/products/batch", token: admin, body)
                #expect(created.status == .created)
                #expect(created.json.strings("created").count == (valid ? 1 : 0), "\(body): \(created.text)")
                let answer = try await OpenAPITools.check(
                    [created.text], at: Self.answer("/products/batch", "post", "201"), in: document)
                #expect(answer == [nil], "\(created.text)")
            }

            // Refused as a whole: no document, an unknown key, more than max_batch_size (10).
            let many = #"{"documents":["# + Array(repeating: #"{"name":"Widget","price":1}"#, count: 11).joined(separator: ",") + "]}"
            let refused = [#"{"documents":[]}"#, #"{"docs":[{"name":"Widget","price":1}]}"#, many]
            let refusedVerdicts = try await OpenAPITools.check(refused, at: Self.schema("/products/batch", "post"), in: document)
            for (index, body) in refused.enumerated() {
                #expect(refusedVerdicts[index] != nil, "\(body)")
                #expect(try await api.post("/products/batch", token: admin, body).status == .badRequest, "\(body)")
            }

            // additional_fields: reject.
            let notes = [(#"{"documents":[{"text":"hi"}]}"#, true), (#"{"documents":[{"text":"hi","color":"red"}]}"#, false)]
            let noteVerdicts = try await OpenAPITools.check(notes.map(\.0), at: Self.schema("/notes/batch", "post"), in: document)
            for (index, (body, valid)) in notes.enumerated() {
                #expect((noteVerdicts[index] == nil) == valid, "\(body)")
                let created = try await api.post("/notes/batch", token: admin, body)
                #expect(created.json.strings("created").count == (valid ? 1 : 0), "\(body): \(created.text)")
            }
        }
    }

    @Test func updateBodiesAndAnswers() async throws {
        try await GatewayHarness.with { api in
            let admin = try await api.token(roles: ["admin"])
            let document = try await api.get("/openapi.json", token: admin).text
            let created = try await api.post("/products", token: admin, #"{"name":"Widget","price":1,"released":"2024-03-01"}"#)
            let id = try #require(created.json.string("id"))

            let updates: [(body: String, valid: Bool)] = [
                (#"{"price":5,"dims.w":2}"#, true),
                (#"{"$set":{"price":6},"$inc":{"qty":1}}"#, true),
                (#"{"$rename":{"price":"cost"}}"#, false),
                (#"{"price":5,"$set":{"qty":1}}"#, false),
                (#"{"$inc":{"qty":"one"}}"#, false),
                (#"{}"#, false),
            ]
            let verdicts = try await OpenAPITools.check(updates.map(\.body), at: Self.schema("/products/{id}", "put"), in: document)
            for (index, update) in updates.enumerated() {
                #expect((verdicts[index] == nil) == update.valid, "\(update.body): \(verdicts[index] ?? "valid")")
                let reply = try await api.send(.put, "/products/\(id)", token: admin, body: update.body)
                #expect((reply.status == .ok) == update.valid, "\(update.body): \(reply.text)")
            }

            // Answers: a document, a page, an error envelope.
            let one = try await api.get("/products/\(id)", token: admin)
            let page = try await api.get("/products", token: admin)
            let missing = try await api.get("/products/\(String(repeating: "0", count: 24))", token: admin)
            #expect(missing.status == .notFound)
            let answers = try await OpenAPITools.check(
                [one.text], at: Self.answer("/products/{id}", "get", "200"), in: document)
                + OpenAPITools.check([page.text], at: Self.answer("/products", "get", "200"), in: document)
                + OpenAPITools.check([missing.text], at: ["components", "schemas", "ErrorEnvelope"], in: document)
            #expect(answers == [nil, nil, nil], "\(one.text) \(page.text) \(missing.text)")
        }
    }

    @Test func mixedBatchBodies() async throws {
        try await GatewayHarness.with { api in
            let admin = try await api.token(roles: ["admin"])
            let document = try await api.get("/openapi.json", token: admin).text
            let batches: [(body: String, valid: Bool)] = [
                (#"{"operations":[{"op":"create","collection":"products","data":{"name":"Widget","price":1}},{"op":"get","collection":"products","id":{"$ref":0}},{"op":"list","collection":"notes","limit":5}],"options":{"atomic":true,"return_records":null}}"#, true),
                (#"{"operations":[{"op":"drop","collection":"products"}]}"#, false),
                (#"{"operations":[{"op":"create","collection":"products"}]}"#, false),
                (#"{"operations":[{"op":"get","collection":"products","id":{"$ref":-1}}]}"#, false),
                (#"{"operations":[{"op":"get","collection":"products","id":"6650c0f2a1b2c3d4e5f60718","x":1}]}"#, false),
                (#"{"operations":[]}"#, false),
                (#"{"operations":[{"op":"list","collection":"products"}],"options":{"atomic":"yes"}}"#, false),
            ]
            let verdicts = try await OpenAPITools.check(batches.map(\.body), at: Self.schema("/batch", "post"), in: document)
            for (index, batch) in batches.enumerated() {
                #expect((verdicts[index] == nil) == batch.valid, "\(batch.body): \(verdicts[index] ?? "valid")")
                let reply = try await api.post("/batch", token: admin, batch.body)
                #expect(reply.status == (batch.valid ? .ok : .badRequest), "\(batch.body): \(reply.text)")
                if batch.valid {
                    let answer = try await OpenAPITools.check([reply.text], at: Self.answer("/batch", "post", "200"), in: document)
                    #expect(answer == [nil], "\(reply.text)")
                }
            }
        }
    }
}
