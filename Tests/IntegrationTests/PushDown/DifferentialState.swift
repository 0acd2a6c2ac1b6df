import PMBSON
import PMMongo
import PMTestSupport

/// What one collection of a differential case holds, read straight from the backend and
/// written so that the two collections compare: document ids become `<k=N>` (the
/// document's sequence number), timestamps the server set become `<server time>` (the
/// generated dates all lie before 2021), `_id` and the version's `collection` are left out.
/// A document's own fields are compared in name order (and a version's `changes` by field):
/// where an update adds fields, read–modify–write stores them in MongoDB's order (by name)
/// and SecantusDB, applying a pushed-down update, in the update's order (docs/API.md,
/// "Updates and deletes pushed down"). Values, nested documents and arrays keep their order.
struct DifferentialState {
    /// Every document of the collection (both tenants, soft-deleted ones too), by `k`.
    var documents: [BSONDocument]
    /// Every saved version of the collection's documents, by `k` and version number.
    var versions: [BSONDocument]
    /// The stored `updated_at` by `k`, to tell which documents a request wrote.
    var updatedAt: [Int: BSON]

    /// Server timestamps are later than this (2021-01-01); generated dates earlier.
    static let serverTimeFloor: Int64 = 1_609_459_200_000

    /// Reads `collection`, whose ids map to sequence numbers by `ks` (hex → k).
    static func read(_ collection: String, ks: [String: Int], pool: MongoClientPool) async throws -> DifferentialState {
        let (documents, versions) = try await pool.withConnection { connection in
            let all = try connection.find(collection: collection, filter: BSONDocument().encoded())
            let saved = try connection.find(
                collection: "_pm_versions", filter: BSONDocument(["collection": .string(collection)]).encoded())
            return (all, saved)
        }
        var state = DifferentialState(documents: [], versions: [], updatedAt: [:])
        var byK: [(Int, BSONDocument)] = []
        for bytes in documents {
            let document = try BSONDocument(bsonBytes: bytes)
            guard case .objectId(let id) = document["_id"], let k = ks[id.hex] else {
                throw FixtureError(message: "\(collection) holds a document the case did not create: \(document.jsonString)")
            }
            state.updatedAt[k] = document["updated_at"] ?? .null
            byK.append((k, byName(normalized(document, ks: ks))))
        }
        state.documents = byK.sorted { $0.0 < $1.0 }.map(\.1)
        var numbered: [(Int, Int64, BSONDocument)] = []
        for bytes in versions {
            let version = try BSONDocument(bsonBytes: bytes)
            guard case .objectId(let id) = version["doc_id"], let k = ks[id.hex], let number = version["version"]?.int64Value else {
                throw FixtureError(message: "\(collection): a version of an unknown document: \(version.jsonString)")
            }
            var kept = normalized(BSONDocument(elements: version.elements.filter { $0.key != "collection" }), ks: ks)
            if case .document(let data)? = kept["data"] { kept["data"] = .document(byName(data)) }
            if case .array(let changes)? = kept["changes"] {
                kept["changes"] = .array(changes.sorted { $0.jsonString < $1.jsonString })
            }
            numbered.append((k, number, kept))
        }
        state.versions = numbered.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return state
    }

    /// The sequence numbers whose `updated_at` differs between `self` and `earlier`.
    func written(since earlier: DifferentialState) -> [Int] {
        updatedAt.keys.filter { updatedAt[$0] != earlier.updatedAt[$0] }.sorted()
    }

    /// `document`'s fields in name order (their values as they are).
    static func byName(_ document: BSONDocument) -> BSONDocument {
        BSONDocument(elements: document.elements.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
    }

    static func normalized(_ document: BSONDocument, ks: [String: Int]) -> BSONDocument {
        BSONDocument(elements: document.elements.filter { $0.key != "_id" }.map {
            BSONDocument.Element(key: $0.key, value: normalized($0.value, ks: ks))
        })
    }

    static func normalized(_ value: BSON, ks: [String: Int]) -> BSON {
        switch value {
        case .date(let date) where date.millisecondsSince1970 >= serverTimeFloor: .string("<server time>")
        case .objectId(let id): ks[id.hex].map { .string("<k=\($0)>") } ?? value
        case .string(let text): ks[text].map { .string("<k=\($0)>") } ?? value
        case .document(let document): .document(normalized(document, ks: ks))
        case .array(let items): .array(items.map { normalized($0, ks: ks) })
        default: value
        }
    }
}
