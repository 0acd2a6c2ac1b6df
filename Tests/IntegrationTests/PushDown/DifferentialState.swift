import PMBSON
import PMMongo
import PMTestSupport

/// What one collection of a differential case holds, read straight from the backend and
/// written so that the two collections compare: document ids become `<k=N>` (the
/// document's sequence number), timestamps the server set become `<server time>` (the
/// generated dates all lie before 2021), `_id` and the version's `collection` are left out.
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
            byK.append((k, normalized(document, ks: ks)))
        }
        state.documents = byK.sorted { $0.0 < $1.0 }.map(\.1)
        var numbered: [(Int, Int64, BSONDocument)] = []
        for bytes in versions {
            let version = try BSONDocument(bsonBytes: bytes)
            guard case .objectId(let id) = version["doc_id"], let k = ks[id.hex], let number = version["version"]?.int64Value else {
                throw FixtureError(message: "\(collection): a version of an unknown document: \(version.jsonString)")
            }
            let kept = BSONDocument(elements: version.elements.filter { $0.key != "collection" })
            numbered.append((k, number, normalized(kept, ks: ks)))
        }
        state.versions = numbered.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return state
    }

    /// The sequence numbers whose `updated_at` differs between `self` and `earlier`.
    func written(since earlier: DifferentialState) -> [Int] {
        updatedAt.keys.filter { updatedAt[$0] != earlier.updatedAt[$0] }.sorted()
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
