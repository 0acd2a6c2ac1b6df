import PMBSON

/// One document of a hook call: its position (create: the index in the request; update
/// and delete: among the matched documents; in a mixed batch: the operation's index) and
/// the keys its event carries (docs/API.md, "Events and payloads"). A per-document call
/// sends them in the envelope beside `index`; a batch-mode call sends one entry per
/// document in `documents`.
struct HookEntry: Sendable {
    var index: Int
    /// `document`; or `id`, `before`, `update`; or `id`, `document`.
    var fields: BSONDocument

    /// `pre_create`: the document as it will be stored.
    static func create(index: Int, document: BSONDocument) -> HookEntry {
        HookEntry(index: index, fields: BSONDocument(["document": .document(document)]))
    }

    /// `pre_update`: the stored document and the update as the client sent it.
    static func update(index: Int, id: BSON, before: BSONDocument, update: BSONDocument) -> HookEntry {
        HookEntry(
            index: index,
            fields: BSONDocument(["id": id, "before": .document(before), "update": .document(update)]))
    }

    /// `pre_delete` (the stored document) and every `post_*` (the document as written).
    static func written(index: Int, id: BSON, document: BSONDocument) -> HookEntry {
        HookEntry(index: index, fields: BSONDocument(["id": id, "document": .document(document)]))
    }

    /// The entry in a batch-mode payload's `documents`: pre events lead with `index`,
    /// post events carry `id` and `document` alone.
    func batchEntry(_ event: HookEvent) -> BSON {
        guard event.isPre else { return .document(fields) }
        var entry = BSONDocument(["index": .int64(Int64(index))])
        for element in fields.elements { entry.append(element.key, element.value) }
        return .document(entry)
    }
}

extension HookEvent {
    var isPre: Bool { self == .preCreate || self == .preUpdate || self == .preDelete }
}
