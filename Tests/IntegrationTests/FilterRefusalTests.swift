import Foundation
import HTTPTypes
import PMBSON
import Testing

/// Client mistakes in filters and sorts are 400 `bad_request` in the error envelope, with
/// `X-Request-Id`, before anything reaches the backend (docs/API.md, "Filters"): on
/// `GET /{c}?filter=`, on `PUT /{c}/batch` by filter, and as the operation's 400 of a mixed
/// batch's `list`.
@Suite("Filters refused before the backend")
struct FilterRefusalTests {
    /// Each bad filter and a text its message names.
    static let badFilters: [(filter: String, naming: String)] = [
        (#"{"name":{"$regex":"("}}"#, "unbalanced ("),
        (#"{"name":{"$regex":"["}}"#, "unbalanced ["),
        (#"{"name":{"$regex":"a{99999999999}"}}"#, "over 1000"),
        (#"{"name":{"$regex":"\\p{L}"}}"#, "Unicode properties"),
        (#"{"name":{"$regex":"abc\\"}}"#, "at the end"),
        (#"{"name":{"$regex":"^(a+)+$"}}"#, "nested quantifier"),
        (#"{"name":{"$regex":"\#(String(repeating: "a", count: 513))"}}"#, "server.max_regex_length is 512"),
        (#"{"name":{"$regex":"a","$options":"g"}}"#, "$options on name"),
        (#"{"name":{"$options":"i"}}"#, "beside $regex"),
        (#"{"tags":{"$size":-1}}"#, "$size on tags"),
        (#"{"name":{"$eq":{"$where":"1"}}}"#, "$where"),
        (#"{"name":{"x":{"$gt":1}}}"#, "$gt"),
        (#"{"tags":{"$in":[{"a":{"$where":"1"}}]}}"#, "$where"),
    ]

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    static func expectEnvelope(
        _ reply: GatewayClient.Reply, naming: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == .badRequest, "\(what): \(reply.text)", sourceLocation: sourceLocation)
        let error = reply.json.document("error")
        #expect(error?.string("code") == "bad_request", "\(what): \(reply.text)", sourceLocation: sourceLocation)
        #expect(error?.string("message")?.contains(naming) == true, "\(what): \(reply.text)", sourceLocation: sourceLocation)
        let id = reply.headers[HTTPField.Name("X-Request-Id")!]
        #expect(id?.isEmpty == false, "\(what)", sourceLocation: sourceLocation)
        #expect(reply.json.document("meta")?.string("request_id") == id, "\(what)", sourceLocation: sourceLocation)
    }

    @Test func listFiltersAndSortsAreRefused() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token(roles: ["admin"])
            _ = try await api.post("/products/batch", token: token,
                                   #"{"documents":[{"name":"Alpha","price":1,"tags":["a"]},{"name":"beta","price":2}]}"#)
            for (filter, naming) in Self.badFilters {
                let reply = try await api.get("/products?filter=\(Self.encoded(filter))", token: token)
                Self.expectEnvelope(reply, naming: naming, filter)
            }
            for sort in ["tags.$", "a..b", "name,", "$natural"] {
                let reply = try await api.get("/products?sort=\(Self.encoded(sort))", token: token)
                Self.expectEnvelope(reply, naming: "sort must be", sort)
            }
            // Valid patterns still reach the backend and match.
            for (filter, count) in [(#"{"name":{"$regex":"^al","$options":"i"}}"#, 1), (#"{"name":{"$regex":"[a-z]+"}}"#, 2),
                                    (#"{"name":{"$regex":"(ta)+"}}"#, 1), (#"{"tags":{"$size":1}}"#, 1)] {
                let reply = try await api.get("/products?filter=\(Self.encoded(filter))", token: token)
                #expect(reply.status == .ok, "\(filter): \(reply.text)")
                #expect(reply.json.int("count") == count, "\(filter): \(reply.text)")
            }
        }
    }

    @Test func updateByFilterIsRefusedAndWritesNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token(roles: ["admin"])
            _ = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"Alpha","price":1}]}"#)
            for (filter, naming) in Self.badFilters {
                let reply = try await api.send(
                    .put, "/products/batch", token: token, body: #"{"filter":\#(filter),"update":{"price":9}}"#)
                Self.expectEnvelope(reply, naming: naming, filter)
            }
            let list = try await api.get("/products", token: token)
            #expect(list.json.documents("data").compactMap { $0.int("price") } == [1], "\(list.text)")
        }
    }

    @Test func aMixedBatchListWithABadFilterIsThatOperations400() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token(roles: ["admin"])
            for (filter, naming) in Self.badFilters {
                let reply = try await api.post("/batch", token: token, #"""
                    {"operations":[{"op":"list","collection":"products"},
                                   {"op":"list","collection":"products","filter":\#(filter)}],
                     "options":{"atomic":false,"continue_on_error":true}}
                    """#)
                #expect(reply.status == .ok, "\(filter): \(reply.text)")
                let results = reply.json.documents("results")
                #expect(results.first?.int("status") == 200, "\(filter): \(reply.text)")
                #expect(results.last?.int("status") == 400, "\(filter): \(reply.text)")
                let error = results.last?.document("error")
                #expect(error?.string("code") == "bad_request", "\(filter): \(reply.text)")
                #expect(error?.string("message")?.contains(naming) == true, "\(filter): \(reply.text)")
            }
            // A bad sort is a malformed operation: the request's 400 naming its index.
            let sorted = try await api.post("/batch", token: token,
                                            #"{"operations":[{"op":"list","collection":"products","sort":"tags.$"}]}"#)
            Self.expectEnvelope(sorted, naming: "sort must be", "sort in a batch")
            #expect(sorted.json.document("error")?.document("details")?.int("index") == 0, "\(sorted.text)")
        }
    }
}
