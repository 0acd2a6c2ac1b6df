import PMBSON

/// What happens to one stored document: replaced by a new state, or removed.
enum ChangeAction: Sendable, Equatable {
    case replace(BSONDocument)
    case remove

    var after: BSONDocument? {
        if case .replace(let document) = self { document } else { nil }
    }
}

/// Decides the change for a stored document (update operators + schema, or delete),
/// or why it fails. Pure: it may run again inside a transaction retry.
typealias ChangePlanner = @Sendable (BSONDocument) -> Result<ChangeAction, DocumentFailure>

/// A document checked before the transaction: its state then, and the change decided.
struct PlannedChange: Sendable {
    var before: BSONDocument
    var action: ChangeAction
}

/// A stored document's `_id` as a dictionary key. Ids the gateway creates are ObjectIds
/// and are keyed without allocating; any other id type falls back to its JSON text.
enum DocumentKey: Hashable, Sendable {
    case objectId(ObjectId)
    case other(String)

    init(_ id: BSON) {
        if case .objectId(let oid) = id { self = .objectId(oid) } else { self = .other(id.jsonString) }
    }
}
