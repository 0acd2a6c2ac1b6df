import Foundation
import PMBSON
import PMTestKit
import Testing

/// `multiple_of` through the real stack (HTTP → gateway → libmongoc → SecantusDB): a rule
/// added as one file of PMSchema reaches every route that checks, types or describes values.
@Suite struct MultipleOfGatewayTests {
    static let yaml = """
        server:
          max_batch_size: 10
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          prices:
            fields:
              name:  { type: string, required: true }
              price: { type: number, required: true, min: 0, multiple_of: 0.05 }
              packs: { type: integer, multiple_of: 6 }
        policies:
          prices:
            editor: { actions: [create, read, update] }
        """

    @Test func createsOnBothPathsUpdatesAndFilters() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            // The batch route takes the byte path for this schema.
            let batch = try await api.post("/prices/batch", token: token, #"""
                {"documents":[{"name":"a","price":19.95,"packs":12},{"name":"b","price":19.99},{"name":"c","price":1,"packs":7}]}
                """#)
            #expect(batch.status == .created)
            #expect(batch.json.strings("created").count == 1)
            #expect(batch.json.documents("failed").map { $0.int("index") ?? -1 } == [1, 2])
            #expect(batch.json.documents("failed").map { $0.document("error")?.string("message") ?? "" } == [
                "price must be a multiple of 0.05", "packs must be a multiple of 6",
            ])
            // Atomic: nothing written, every failure listed.
            let atomic = try await api.post("/prices/batch?atomic=true", token: token, #"{"documents":[{"name":"d","price":0.1},{"name":"e","price":0.12}]}"#)
            #expect(atomic.status == .unprocessableContent)
            #expect(atomic.text.contains(#""created":[]"#))

            // A mixed batch's create takes the value path: the same rule, the same message.
            let mixed = try await api.post("/batch", token: token, #"""
                {"operations":[{"op":"create","collection":"prices","data":{"name":"f","price":0.33}}]}
                """#)
            #expect(mixed.status == .unprocessableContent)
            #expect(mixed.json.documents("results").first?.document("error")?.string("message") == "price must be a multiple of 0.05")

            // Updates are checked on the document they produce.
            let id = try #require(batch.json.strings("created").first)
            let update = try await api.send(.put, "/prices/batch", token: token, body: #"""
                {"ids":["\#(id)"],"update":{"$inc":{"price":0.01}}}
                """#)
            #expect(update.status == .ok)
            #expect(update.json.documents("failed").first?.document("error")?.string("message") == "price must be a multiple of 0.05")
            let fine = try await api.send(.put, "/prices/\(id)", token: token, body: #"{"$inc":{"packs":6}}"#)
            #expect(fine.status == .ok)
            #expect(fine.json.int("packs") == 18)

            // Filters on the field read numbers as numbers.
            let listed = try await api.list("prices", token: token, filter: #"{"price":{"$gte":19.95},"packs":18}"#)
            #expect(listed.count == 1)
        }
    }

    @Test func describedInCollections() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let reply = try await api.get("/_collections", token: try await api.token())
            let fields = reply.json.documents("data").first?.document("schema")?.document("fields")
            #expect(fields?.document("price").map { BSON.document($0).jsonString }
                == #"{"type":"number","required":true,"min":0,"multiple_of":0.05}"#)
            #expect(fields?.document("packs").map { BSON.document($0).jsonString } == #"{"type":"integer","multiple_of":6}"#)
        }
    }

    @Test func csvImportTypesTheCellsAndTheGatewayChecksTheRule() async throws {
        let scratch = try TemporaryDirectory(["rows.csv": "name,price,packs\nok,2.05,6\nodd,2.07,\nbad packs,1,4\n"])
        defer { scratch.remove() }
        let config = try GatewayHarness.temporaryConfig(["gateway.yml": Self.yaml])
        defer { try? FileManager.default.removeItem(atPath: config) }
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "import", "--url", try api.url, "--token", token, "--collection", "prices", "--config", config,
                "--rejects", scratch.file("bad.ndjson"), scratch.file("rows.csv"),
            ])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(Set(try scratch.ndjson("bad.ndjson").map(\.rejectSummary)) == [
                RejectSummary(row: 2, line: 3, code: "schema_validation", message: "price must be a multiple of 0.05"),
                RejectSummary(row: 3, line: 4, code: "schema_validation", message: "packs must be a multiple of 6"),
            ])
            let stored = try await api.list("prices", token: token)
            #expect(stored.data.map { $0["price"] } == [.double(2.05)])
            #expect(stored.data.map { $0["packs"] } == [.int32(6)])
        }
    }
}
