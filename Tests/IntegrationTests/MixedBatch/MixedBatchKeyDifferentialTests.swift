import Foundation
import HTTPTypes
import PMBSON
import PMMongo
import PMTestKit
import PMTestSupport
import Testing

/// The same random mixed batches sent to two collections with the same configuration and
/// documents, to `m_plain` without an `Idempotency-Key` and to `m_keyed` with one, give the
/// same answers and leave the same documents: with a key a batch runs in the key's
/// transaction, committed at its end, "with the answer it has without a key" (docs/API.md,
/// "Idempotency keys"). The batches create, update, delete and read documents with a
/// `unique` field (clashes found by looking) and a declared unique index (clashes met only
/// when writing, which end MongoDB's transaction), atomic or not, continuing after a
/// failure or not. A mismatch names the seed and the batch.
///
/// A `duplicate_key` failure is compared by its code: a document that clashes with two
/// unique constraints at once is reported by the one met first, which depends on the path
/// (the gateway's own lookup of `unique` fields in a transaction, MongoDB's index order in
/// a write outside one).
@Suite("mixed batches with and without an Idempotency-Key: same answers, same data", .serialized)
struct MixedBatchKeyDifferentialTests {
    static let collections = ["m_plain", "m_keyed"]
    static let seeded = 8
    static let batchesPerCase = 25

    static let yaml: String = {
        let fields = """
                fields:
                  u: { type: string, unique: true }
                  g: { type: string }
                  code: { type: string }
                  n: { type: integer, min: 0 }
                indexes:
                  - fields: { g: 1, code: 1 }
                    unique: true
            """
        return """
            server:
              max_batch_size: 10
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
            \(collections.map { "  \($0):\n\(fields)" }.joined(separator: "\n"))
            policies:
            \(collections.map { "  \($0):\n    editor: { actions: [create, read, update, delete] }" }.joined(separator: "\n"))
            """
    }()

    /// 60 seeds (5…64 × 104,729) agreed; 24 and 59 found a document created in a key's
    /// transaction and changed into a write-time clash, whose run again gave it a new id.
    @Test(arguments: [1, 2, 24, 59].map { UInt64($0) * 104_729 })
    func withAndWithoutAKeyAgree(seed: UInt64) async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let pool = try await TestBackend.makePool(database: api.config.database.name, maxPoolSize: 2)
            defer { pool.close() }
            let token = try await api.token()
            var ids: [String: [String]] = [:]
            for collection in Self.collections {
                let documents = (0..<Self.seeded).map { k in
                    (k < 5 ? #""u":"u\#(k)","# : "") + #""g":"s","code":"c\#(k)","n":\#(k)"#
                }
                ids[collection] = try await api.create(collection, token: token, documents.map { "{\($0)}" })
            }
            var rng = SplitMix(state: seed)
            var wrote = 0
            var clashes = 0
            for index in 0..<Self.batchesPerCase {
                let batch = Self.batch(&rng)
                var answers: [String: (HTTPResponse.Status, String)] = [:]
                var states: [String: [String]] = [:]
                for collection in Self.collections {
                    let body = Self.body(batch, collection: collection, ids: ids[collection]!)
                    let headers: HTTPFields = collection == "m_keyed"
                        ? [HTTPField.Name("Idempotency-Key")!: "mixed-\(seed)-\(index)"] : [:]
                    let reply = try await api.send(.post, "/batch", token: token, body: body, headers: headers)
                    answers[collection] = (reply.status, Self.normalized(reply.text, collection: collection, ids: ids[collection]!))
                    states[collection] = try await Self.state(collection, ids: ids[collection]!, pool: pool)
                }
                let (plain, keyed) = (answers["m_plain"]!, answers["m_keyed"]!)
                let problems = [
                    plain.0.code >= 500 || keyed.0.code >= 500 ? "a server error" : nil,
                    plain.0 != keyed.0 || plain.1 != keyed.1 ? "answers differ" : nil,
                    states["m_plain"]! != states["m_keyed"]! ? "stored documents differ" : nil,
                ].compactMap { $0 }
                guard problems.isEmpty else {
                    Issue.record(Comment(rawValue: """
                        seed \(seed), batch \(index): \(problems.joined(separator: ", "))
                        \(Self.body(batch, collection: "{c}", ids: (0..<Self.seeded).map { "<k\($0)>" }))
                          without a key: \(plain.0.code) \(plain.1)
                          with a key:    \(keyed.0.code) \(keyed.1)
                          stored without: \(states["m_plain"]!)
                          stored with:    \(states["m_keyed"]!)
                        """))
                    return
                }
                if plain.1.contains("\"status\":20"), batch.contains(where: { $0.writes }) { wrote += 1 }
                if plain.1.contains("duplicate_key") { clashes += 1 }
            }
            print("mixed-batch key differential seed \(seed): \(wrote) batches wrote, \(clashes) met a unique clash")
            #expect(wrote >= 5, "seed \(seed): only \(wrote) batches wrote")
            #expect(clashes >= 2, "seed \(seed): only \(clashes) batches met a unique clash")
        }
    }

    // MARK: generated batches

    enum Target {
        case seeded(Int)
        /// The document an earlier create of the batch made (`{"$ref": index}`).
        case created(Int)
    }

    enum Operation {
        case create(String)
        case update(Target, String)
        case delete(Int)
        case get(Int)

        var writes: Bool { if case .get = self { false } else { true } }
    }

    struct Batch {
        var operations: [Operation]
        var atomic: Bool
        var continueOnError: Bool

        func contains(where predicate: (Operation) -> Bool) -> Bool { operations.contains(where: predicate) }
    }

    static func batch(_ rng: inout SplitMix) -> Batch {
        var operations: [Operation] = []
        var creates: [Int] = []
        for index in 0..<(1 + Int(rng.next() % 4)) {
            let roll = rng.next() % 100
            if roll < 40 {
                creates.append(index)
                operations.append(.create(fields(&rng, all: true)))
            } else if roll < 75 {
                let target: Target = !creates.isEmpty && rng.chance(30)
                    ? .created(rng.pick(creates)) : .seeded(Int(rng.next() % UInt64(seeded)))
                let data = rng.chance(25) ? #"{"$inc":{"n":\#(rng.pick([1, -3]))}}"# : fields(&rng, all: false)
                operations.append(.update(target, data))
            } else if roll < 90 {
                operations.append(.delete(Int(rng.next() % UInt64(seeded))))
            } else {
                operations.append(.get(Int(rng.next() % UInt64(seeded))))
            }
        }
        return Batch(operations: operations, atomic: rng.chance(40), continueOnError: rng.chance(50))
    }

    /// A document's fields from small pools, so that unique values and index keys clash.
    static func fields(_ rng: inout SplitMix, all: Bool) -> String {
        var parts: [String] = []
        if rng.chance(all ? 60 : 40) { parts.append(#""u":"u\#(rng.next() % 8)""#) }
        if rng.chance(all ? 70 : 25) { parts.append(#""g":"\#(rng.pick(["s", "a"]))""#) }
        if rng.chance(all ? 70 : 40) { parts.append(#""code":"\#(rng.pick(["c0", "c1", "c2", "c9"]))""#) }
        if rng.chance(all ? 60 : 40) || parts.isEmpty { parts.append(#""n":\#(rng.pick([-1, 0, 1, 5]))"#) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func body(_ batch: Batch, collection: String, ids: [String]) -> String {
        func id(_ target: Target) -> String {
            switch target {
            case .seeded(let k): #""\#(ids[k])""#
            case .created(let index): #"{"$ref":\#(index)}"#
            }
        }
        let operations = batch.operations.map { operation in
            switch operation {
            case .create(let data): #"{"op":"create","collection":"\#(collection)","data":\#(data)}"#
            case .update(let target, let data): #"{"op":"update","collection":"\#(collection)","id":\#(id(target)),"data":\#(data)}"#
            case .delete(let k): #"{"op":"delete","collection":"\#(collection)","id":"\#(ids[k])"}"#
            case .get(let k): #"{"op":"get","collection":"\#(collection)","id":"\#(ids[k])"}"#
            }
        }
        return #"{"operations":[\#(operations.joined(separator: ","))],"options":{"atomic":\#(batch.atomic),"continue_on_error":\#(batch.continueOnError)}}"#
    }

    // MARK: answers and data, comparable across the two collections

    /// The answer without its request id, seeded ids as `<kN>`, other ids as `<new>`, times
    /// as `<time>`, the collection's name as `{c}`, `duplicate_key` without its message.
    static func normalized(_ text: String, collection: String, ids: [String]) -> String {
        guard let json = try? JSONReader.parseDocument(Array(text.utf8)) else { return text }
        var normalized = BSONDocument(elements: json.elements.filter { $0.key != "meta" }).jsonString
        for (k, id) in ids.enumerated() { normalized = normalized.replacingOccurrences(of: id, with: "<k\(k)>") }
        for (pattern, replacement) in [
            (#"[0-9a-f]{24}"#, "<new>"),
            (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, "<time>"),
            (#""code":"duplicate_key","message":"(\\.|[^"\\])*""#, #""code":"duplicate_key""#),
        ] {
            normalized = normalized.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return normalized.replacingOccurrences(of: collection, with: "{c}")
    }

    /// Every stored document as `kN` (or `new`) and its own fields, sorted.
    static func state(_ collection: String, ids: [String], pool: MongoClientPool) async throws -> [String] {
        let documents = try await pool.withConnection { try $0.find(collection: collection, filter: BSONDocument().encoded()) }
        return try documents.map { bytes in
            let document = try BSONDocument(bsonBytes: bytes)
            var k = "new"
            if case .objectId(let id)? = document["_id"], let index = ids.firstIndex(of: id.hex) { k = "k\(index)" }
            let own = BSONDocument(elements: document.elements.filter { ["u", "g", "code", "n"].contains($0.key) }
                .sorted { $0.key < $1.key })
            return "\(k) \(own.jsonString)"
        }.sorted()
    }
}
