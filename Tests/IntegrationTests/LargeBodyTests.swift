import PMBSON
@testable import PermissionMongo
import Testing

/// Bodies that are large (`LargeBodyExecutor.largeBodyBytes`, 1 MiB) are parsed, checked and
/// written off the connection's event loop, on every route that reads one: their answers,
/// what they store and what an atomic batch leaves behind are those of any other request.
@Suite("large bodies")
struct LargeBodyTests {
    static let yaml = """
        server:
          max_batch_size: 1100
          max_body_bytes: 2097152
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          notes:
            fields:
              n: { type: integer, required: true, min: 0 }
              text: { type: string, max_length: 2000 }
              blob: { type: string }
        policies:
          notes:
            editor: { actions: [create, read, update, delete] }
        """

    /// `count` documents padded to about 1 KB each; the last one invalid when asked.
    static func documents(_ count: Int, lastInvalid: Bool = false) -> String {
        let text = String(repeating: "t", count: 1000)
        return (0..<count).map { index in
            let n = lastInvalid && index == count - 1 ? -1 : index
            return #"{"n":\#(n),"text":"\#(text)"}"#
        }.joined(separator: ",")
    }

    @Test func aLargeBatchIsCreatedWhole() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let body = #"{"documents":[\#(Self.documents(1100))]}"#
            #expect(body.utf8.count >= LargeBodyExecutor.largeBodyBytes)
            let reply = try await api.post("/notes/batch", token: token, body)
            #expect(reply.status == .created, "\(reply.text.prefix(300))")
            #expect(reply.json.strings("created").count == 1100)
            #expect(reply.json.documents("failed").isEmpty)
            #expect(try await api.get("/notes?limit=1", token: token).json.int("count") == 1100)
        }
    }

    @Test func aLargeAtomicBatchWithOneInvalidDocumentWritesNothing() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/notes/batch?atomic=true", token: token, #"{"documents":[\#(Self.documents(1100, lastInvalid: true))]}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.text.prefix(300))")
            #expect(reply.json["created"] == .array([]))
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [1099])
            #expect(failed.first?.document("error")?.string("message") == "n must be at least 0")
            #expect(try await api.get("/notes?limit=1", token: token).json.int("count") == 0)
        }
    }

    @Test func aLargeMixedBatchIsAppliedWhole() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let text = String(repeating: "m", count: 1100)
            let operations = (0..<1000).map { #"{"op":"create","collection":"notes","data":{"n":\#($0),"text":"\#(text)"}}"# }
            let body = #"{"operations":[\#(operations.joined(separator: ","))]}"#
            #expect(body.utf8.count >= LargeBodyExecutor.largeBodyBytes)
            let reply = try await api.post("/batch", token: token, body)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            #expect(reply.statuses == Array(repeating: 201, count: 1000))
            #expect(try await api.get("/notes?limit=1", token: token).json.int("count") == 1000)
        }
    }

    /// A string a little longer than a large body.
    static func large(_ character: Character) -> String {
        String(repeating: character, count: LargeBodyExecutor.largeBodyBytes + 1000)
    }

    @Test func aLargeSingleDocumentIsCreatedAndUpdated() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let blob = Self.large("b")
            let created = try await api.post("/notes", token: token, #"{"n":1,"blob":"\#(blob)"}"#)
            #expect(created.status == .created, "\(created.text.prefix(300))")
            let id = try #require(created.json.string("id"))
            #expect(try await api.get("/notes/\(id)", token: token).json.string("blob") == blob)

            let replaced = Self.large("c")
            let updated = try await api.send(.put, "/notes/\(id)", token: token, body: #"{"$set":{"blob":"\#(replaced)"}}"#)
            #expect(updated.status == .ok, "\(updated.text.prefix(300))")
            #expect(updated.json.string("blob") == replaced)
            let stored = try await api.get("/notes/\(id)", token: token).json
            #expect(stored.string("blob") == replaced)
            #expect(stored.int("n") == 1)
        }
    }

    /// A filter carrying a long value: the batch update and delete select, change and count
    /// exactly what it matches.
    @Test func aLargeFilterUpdatesAndDeletesWhatItSelects() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let created = try await api.post("/notes/batch", token: token, #"{"documents":[\#(Self.documents(30))]}"#)
            #expect(created.status == .created, "\(created.text.prefix(300))")
            let filter = #"{"n":{"$lt":20},"text":{"$ne":"\#(Self.large("z"))"}}"#

            let updated = try await api.send(
                .put, "/notes/batch", token: token, body: #"{"filter":\#(filter),"update":{"$set":{"blob":"u"}}}"#)
            #expect(updated.status == .ok, "\(updated.text.prefix(300))")
            #expect(updated.json.int("matched") == 20)
            #expect(updated.json.int("modified") == 20)
            #expect(try await api.list("notes", filter: #"{"blob":"u"}"#, token: token).json.int("count") == 20)

            let deleted = try await api.send(.delete, "/notes/batch", token: token, body: #"{"filter":\#(filter)}"#)
            #expect(deleted.status == .ok, "\(deleted.text.prefix(300))")
            #expect(deleted.json.int("deleted") == 20)
            let left = try await api.list("notes", filter: "{}", token: token).json
            #expect(left.int("count") == 10)
            #expect(Set(left.documents("data").compactMap { $0.int("n") }) == Set(20..<30))
        }
    }
}
