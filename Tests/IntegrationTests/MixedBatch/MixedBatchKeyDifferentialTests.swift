import Foundation
import HTTPTypes
import PMBSON
import PMMongo
import PMTestKit
import PMTestSupport
import Testing

/// The same random requests sent to two collections with the same configuration and
/// documents, to `m_plain` without an `Idempotency-Key` and to `m_keyed` with one, give the
/// same answers and leave the same documents: with a key a request runs in the key's
/// transaction, "with the answer it has without a key" (docs/API.md, "Idempotency keys").
/// Mostly mixed batches, which create, update, delete and read, atomic or not, continuing
/// after a failure or not; also batch and single creates, single updates and deletes. The
/// documents have a `unique` field (clashes found by looking) and a declared unique index
/// (clashes met only when writing, which end MongoDB's transaction), and keep versions. A
/// mismatch names the seed and the request.
///
/// A `duplicate_key` failure is compared by its code: a document that clashes with two
/// unique constraints at once is reported by the one met first, which depends on the path
/// (the gateway's own lookup of `unique` fields in a transaction, MongoDB's index order in
/// a write outside one).
@Suite("mixed batches with and without an Idempotency-Key: same answers, same data", .serialized)
struct MixedBatchKeyDifferentialTests {
    static let collections = ["m_plain", "m_keyed"]
    static let seeded = 8
    static let requestsPerCase = 30

    static let yaml: String = {
        let fields = """
                fields:
                  u: { type: string, unique: true }
                  w: { type: string, unique: true }
                  g: { type: string }
                  code: { type: string }
                  n: { type: integer, min: 0 }
                indexes:
                  - fields: { g: 1, code: 1 }
                    unique: true
                versioning: { enabled: true }
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

    /// 64 seeds (1…64 × 104,729) agree. Seed 2 found a keyed batch create that gave a
    /// value to a document that later clashed at write time, not to the next one that asked
    /// for it. (An earlier form of this test, mixed batches only, found a document created in
    /// a key's transaction and changed into a write-time clash: `DeclaredIndexTests` keeps
    /// that case.)
    @Test(arguments: Array(1...4).map { UInt64($0) * 104_729 })
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
            var before = try await Self.state("m_plain", ids: ids["m_plain"]!, pool: pool)
            var rng = SplitMix(state: seed)
            var wrote = 0
            var clashes = 0
            for index in 0..<Self.requestsPerCase {
                let request = Self.request(&rng)
                var answers: [String: (HTTPResponse.Status, String)] = [:]
                var states: [String: [String]] = [:]
                for collection in Self.collections {
                    let (method, path, body) = request.http(collection: collection, ids: ids[collection]!)
                    let headers: HTTPFields = collection == "m_keyed"
                        ? [HTTPField.Name("Idempotency-Key")!: "mixed-\(seed)-\(index)"] : [:]
                    let reply = try await api.send(method, path, token: token, body: body, headers: headers)
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
                    let (method, path, body) = request.http(collection: "{c}", ids: (0..<Self.seeded).map { "<k\($0)>" })
                    Issue.record(Comment(rawValue: """
                        seed \(seed), request \(index): \(problems.joined(separator: ", "))
                        \(method) \(path) \(body ?? "")
                          without a key: \(plain.0.code) \(plain.1)
                          with a key:    \(keyed.0.code) \(keyed.1)
                          stored without: \(states["m_plain"]!)
                          stored with:    \(states["m_keyed"]!)
                        """))
                    return
                }
                if plain.0.code < 300, request.writes, states["m_plain"]! != before { wrote += 1 }
                if plain.1.contains("duplicate_key") { clashes += 1 }
                before = states["m_plain"]!
            }
            print("mixed-batch key differential seed \(seed): \(wrote) requests wrote, \(clashes) met a unique clash")
            #expect(wrote >= 5, "seed \(seed): only \(wrote) requests wrote")
            #expect(clashes >= 2, "seed \(seed): only \(clashes) requests met a unique clash")
            #expect(before.contains { $0.hasPrefix("version of") }, "seed \(seed): no version saved")
        }
    }

    // MARK: generated requests

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

    /// A mixed batch (most requests), or one of the collection's own routes.
    enum Request {
        case mixed([Operation], atomic: Bool, continueOnError: Bool)
        case createBatch([String], atomic: Bool)
        case createOne(String)
        case updateOne(Int, String)
        case deleteOne(Int)

        var writes: Bool {
            if case .mixed(let operations, _, _) = self { operations.contains(where: \.writes) } else { true }
        }

        func http(collection: String, ids: [String]) -> (HTTPRequest.Method, String, String?) {
            switch self {
            case .mixed(let operations, let atomic, let continueOnError):
                let body = MixedBatchKeyDifferentialTests.body(operations, collection: collection, ids: ids)
                return (.post, "/batch", #"{"operations":\#(body),"options":{"atomic":\#(atomic),"continue_on_error":\#(continueOnError)}}"#)
            case .createBatch(let documents, let atomic):
                return (.post, "/\(collection)/batch\(atomic ? "?atomic=true" : "")", #"{"documents":[\#(documents.joined(separator: ","))]}"#)
            case .createOne(let document): return (.post, "/\(collection)", document)
            case .updateOne(let k, let data): return (.put, "/\(collection)/\(ids[k])", data)
            case .deleteOne(let k): return (.delete, "/\(collection)/\(ids[k])", nil)
            }
        }
    }

    static func request(_ rng: inout SplitMix) -> Request {
        let seededK = { (rng: inout SplitMix) in Int(rng.next() % UInt64(seeded)) }
        switch rng.next() % 100 {
        case ..<60:
            return .mixed(operations(&rng), atomic: rng.chance(40), continueOnError: rng.chance(50))
        case ..<75:
            return .createBatch((0...(rng.next() % 3)).map { _ in fields(&rng, all: true) }, atomic: rng.chance(40))
        case ..<85:
            return .createOne(fields(&rng, all: true))
        case ..<95:
            return .updateOne(seededK(&rng), update(&rng))
        default:
            return .deleteOne(seededK(&rng))
        }
    }

    static func operations(_ rng: inout SplitMix) -> [Operation] {
        var operations: [Operation] = []
        var creates: [Int] = []
        for index in 0..<(1 + Int(rng.next() % 4)) {
            let roll = rng.next() % 100
            if roll < 40 {
                creates.append(index)
                operations.append(.create(fields(&rng, all: true)))
            } else if roll < 75 {
                let target: Target = !creates.isEmpty && rng.chance(50)
                    ? .created(rng.pick(creates)) : .seeded(Int(rng.next() % UInt64(seeded)))
                operations.append(.update(target, update(&rng)))
            } else if roll < 90 {
                operations.append(.delete(Int(rng.next() % UInt64(seeded))))
            } else {
                operations.append(.get(Int(rng.next() % UInt64(seeded))))
            }
        }
        return operations
    }

    static func update(_ rng: inout SplitMix) -> String {
        rng.chance(25) ? #"{"$inc":{"n":\#(rng.pick([1, -3]))}}"# : fields(&rng, all: false)
    }

    /// A document's fields from small pools, so that unique values and index keys clash.
    static func fields(_ rng: inout SplitMix, all: Bool) -> String {
        var parts: [String] = []
        if rng.chance(all ? 60 : 40) { parts.append(#""u":"u\#(rng.next() % 8)""#) }
        if rng.chance(all ? 40 : 20) { parts.append(#""w":"w\#(rng.next() % 4)""#) }
        if rng.chance(all ? 70 : 25) { parts.append(#""g":"\#(rng.pick(["s", "a"]))""#) }
        if rng.chance(all ? 70 : 40) { parts.append(#""code":"\#(rng.pick(["c0", "c1", "c2", "c9"]))""#) }
        if rng.chance(all ? 60 : 40) || parts.isEmpty { parts.append(#""n":\#(rng.pick([-1, 0, 1, 5]))"#) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func body(_ operations: [Operation], collection: String, ids: [String]) -> String {
        func id(_ target: Target) -> String {
            switch target {
            case .seeded(let k): #""\#(ids[k])""#
            case .created(let index): #"{"$ref":\#(index)}"#
            }
        }
        let parts = operations.map { operation in
            switch operation {
            case .create(let data): #"{"op":"create","collection":"\#(collection)","data":\#(data)}"#
            case .update(let target, let data): #"{"op":"update","collection":"\#(collection)","id":\#(id(target)),"data":\#(data)}"#
            case .delete(let k): #"{"op":"delete","collection":"\#(collection)","id":"\#(ids[k])"}"#
            case .get(let k): #"{"op":"get","collection":"\#(collection)","id":"\#(ids[k])"}"#
            }
        }
        return "[" + parts.joined(separator: ",") + "]"
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

    /// Every stored document as `kN` (or `new`) and its own fields, and every saved version as
    /// its document's `kN` (or `new`), number and operation; sorted.
    static func state(_ collection: String, ids: [String], pool: MongoClientPool) async throws -> [String] {
        let (documents, versions) = try await pool.withConnection { connection in
            (try connection.find(collection: collection, filter: BSONDocument().encoded()),
             try connection.find(
                collection: "_pm_versions", filter: BSONDocument(["collection": .string(collection)]).encoded()))
        }
        func k(_ id: BSON?) -> String {
            if case .objectId(let id)? = id, let index = ids.firstIndex(of: id.hex) { return "k\(index)" }
            return "new"
        }
        let stored = try documents.map { bytes in
            let document = try BSONDocument(bsonBytes: bytes)
            let own = BSONDocument(elements: document.elements.filter { ["u", "w", "g", "code", "n"].contains($0.key) }
                .sorted { $0.key < $1.key })
            return "\(k(document["_id"])) \(own.jsonString)"
        }
        let saved = try versions.map { bytes in
            let version = try BSONDocument(bsonBytes: bytes)
            return "version of \(k(version["doc_id"])) \(version["version"]?.int64Value ?? -1) \(version.string("op") ?? "?")"
        }
        return (stored + saved).sorted()
    }
}
