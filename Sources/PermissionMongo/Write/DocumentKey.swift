import PMBSON

/// A stored document's `_id` as a dictionary key. Ids the gateway creates are ObjectIds
/// and are keyed without allocating; any other id type falls back to its JSON text.
enum DocumentKey: Hashable, Sendable {
    case objectId(ObjectId)
    case other(String)

    init(_ id: BSON) {
        if case .objectId(let oid) = id { self = .objectId(oid) } else { self = .other(id.jsonString) }
    }
}
