import HTTPTypes
import PMBSON
import Testing

/// Updates and deletes by filter select every matching document (docs/API.md, "Update and
/// delete by filter"): without `atomic`, in chunks of `max_batch_size`, each its own
/// transaction, the answer counting them all; in one transaction (`atomic`, an
/// `Idempotency-Key`) at most `max_atomic_match`.
@Suite("update and delete by filter: every matching document")
struct FilterChunkTests {
    static let yaml = """
        server:
          max_batch_size: 10
          max_atomic_match: 25
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          versioned:
            fields:
              n:      { type: integer, required: true }
              price:  { type: number, required: true, min: 0 }
              status: { type: string }
            versioning: { enabled: true }
          plain:
            fields:
              n:      { type: integer, required: true }
              price:  { type: number, required: true, min: 0 }
              status: { type: string }
        policies:
          versioned:
            admin: { actions: [create, read, update, delete] }
          plain:
            admin: { actions: [create, read, update, delete] }
        """

    /// 37 documents, `n` 0…36; every third one (13) with price 1, the others 5.
    static func fill(_ collection: String, _ api: GatewayClient, token: String) async throws -> [String] {
        var ids: [String] = []
        for start in stride(from: 0, to: 37, by: 10) {
            let documents = (start..<min(start + 10, 37)).map { #"{"n":\#($0),"price":\#($0 % 3 == 0 ? 1 : 5)}"# }
            ids += try await api.create(collection, token: token, documents)
        }
        return ids
    }

    @Test(arguments: ["versioned", "plain"])
    func updatesReachEveryMatchAndOneTransactionIsBounded(_ collection: String) async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await Self.fill(collection, api, token: admin)

            // One transaction: 37 matches are more than max_atomic_match; nothing changes.
            let atomic = try await api.put("/\(collection)/batch?atomic=true", token: admin, #"{"filter":{"n":{"$gte":0}},"update":{"status":"a"}}"#)
            #expect(atomic.status == .badRequest, "\(atomic.text)")
            #expect(atomic.json.document("error")?.document("details")?.int("matched") == 37)
            #expect(atomic.json.document("error")?.document("details")?.int("max_atomic_match") == 25)
            #expect(atomic.json.document("error")?.string("message")?.contains("37") == true)
            #expect(atomic.json.document("error")?.string("message")?.contains("max_atomic_match: 25") == true)
            let keyed = try await api.send(
                .put, "/\(collection)/batch", token: admin, body: #"{"filter":{"n":{"$gte":0}},"update":{"status":"k"}}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "filter-\(collection)"])
            #expect(keyed.status == .badRequest, "\(keyed.text)")
            let within = try await api.put(
                "/\(collection)/batch?atomic=true", token: admin, #"{"filter":{"n":{"$lt":20}},"update":{"status":"w"}}"#)
            #expect(within.json.int("matched") == 20 && within.json.int("modified") == 20, "\(within.text)")

            // Not atomic: four chunks, counted together, failures included.
            let reply = try await api.put("/\(collection)/batch", token: admin, #"{"filter":{"n":{"$gte":0}},"update":{"$inc":{"price":-3}}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json.int("matched") == 37)
            #expect(reply.json.int("modified") == 24)
            let failed = reply.json.documents("failed")
            #expect(failed.count == 13 && failed.allSatisfy { $0.document("error")?.string("code") == "schema_validation" })
            let list = try await api.get("/\(collection)?limit=1&filter=%7B%22price%22%3A2%7D", token: admin)
            #expect(list.json.int("count") == 24, "\(list.text)")
            if collection == "versioned" {
                for id in ids.prefix(3) {
                    let versions = try await api.get("/versioned/\(id)/versions", token: admin).json.documents("data")
                    // The atomic update of n < 20 and the $inc where it applied (price 5 → 2).
                    let expected = (ids.firstIndex(of: id)! % 3 == 0 ? 0 : 1) + 1
                    #expect(versions.count == expected, "\(id): \(versions.count)")
                }
            }
        }
    }

    @Test(arguments: ["versioned", "plain"])
    func deletesReachEveryMatch(_ collection: String) async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await Self.fill(collection, api, token: admin)
            let tooMany = try await api.delete("/\(collection)/batch?atomic=true", token: admin, #"{"filter":{"n":{"$gte":0}}}"#)
            #expect(tooMany.status == .badRequest && tooMany.json.document("error")?.document("details")?.int("matched") == 37,
                    "\(tooMany.text)")
            let all = try await api.delete("/\(collection)/batch", token: admin, #"{"filter":{"n":{"$gte":0}}}"#)
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.json.int("matched") == 37 && all.json.int("deleted") == 37, "\(all.text)")
            #expect(try await api.get("/\(collection)", token: admin).json.int("count") == 0)

            let more = try await Self.fill(collection, api, token: admin)
            let atomic = try await api.delete("/\(collection)/batch?atomic=true", token: admin, #"{"filter":{"price":5}}"#)
            #expect(atomic.status == .ok && atomic.json.int("deleted") == 24, "\(atomic.text)")
            #expect(try await api.get("/\(collection)", token: admin).json.int("count") == 13)
            if collection == "versioned" {
                for id in [ids[0], more[1]] {
                    let versions = try await api.get("/versioned/\(id)/versions", token: admin).json.documents("data")
                    #expect(versions.count == 1, "\(id): the deleted document is kept as its version")
                }
            }
        }
    }

    /// Without `limit`, a list returns 50 documents, or `max_batch_size` when that is smaller.
    @Test func aListWithoutALimitReturnsAtMostMaxBatchSize() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let admin = try await api.token("a", roles: ["admin"])
            _ = try await Self.fill("plain", api, token: admin)
            let list = try await api.get("/plain", token: admin)
            #expect(list.status == .ok, "\(list.text)")
            #expect(list.json.documents("data").count == 10 && list.json.int("count") == 37, "\(list.text)")
        }
    }
}
