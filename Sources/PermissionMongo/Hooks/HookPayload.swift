import PMBSON

/// The JSON bodies sent to hooks (docs/API.md, "Events and payloads"), one per document:
///
///     {"event":"pre_create","collection":"products","tenant_id":"...",
///      "user":{"id":"...","roles":[...]},"index":0,"batch":{"id":"...","size":3},
///      "document":{...}}
///
/// `pre_update` carries `id`, `before` and `update`; `pre_delete` `id` and `document`;
/// every `post_*` `id` and the stored `document`. `dry_run: true` is added for
/// validate-only mixed batches.
enum HookPayload {
    static func preCreate(
        collection: String, caller: Caller, index: Int, batch: HookBatch, document: BSONDocument, dryRun: Bool = false
    ) -> BSONDocument {
        var payload = envelope(.preCreate, collection: collection, caller: caller, index: index, batch: batch, dryRun: dryRun)
        payload.append("document", .document(document))
        return payload
    }

    /// - Parameters:
    ///   - before: the stored document before the change.
    ///   - update: the update as the client sent it (fields to set, or update operators).
    static func preUpdate(
        collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON, before: BSONDocument,
        update: BSONDocument, dryRun: Bool = false
    ) -> BSONDocument {
        var payload = envelope(.preUpdate, collection: collection, caller: caller, index: index, batch: batch, dryRun: dryRun)
        payload.append("id", id)
        payload.append("before", .document(before))
        payload.append("update", .document(update))
        return payload
    }

    /// - Parameter document: the stored document about to be deleted.
    static func preDelete(
        collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON, document: BSONDocument,
        dryRun: Bool = false
    ) -> BSONDocument {
        var payload = envelope(.preDelete, collection: collection, caller: caller, index: index, batch: batch, dryRun: dryRun)
        payload.append("id", id)
        payload.append("document", .document(document))
        return payload
    }

    /// `post_create`, `post_update` or `post_delete`: the written document as stored
    /// (after an update: its new state; after a delete: its last state).
    static func post(
        _ event: HookEvent, collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON,
        document: BSONDocument
    ) -> BSONDocument {
        var payload = envelope(event, collection: collection, caller: caller, index: index, batch: batch, dryRun: false)
        payload.append("id", id)
        payload.append("document", .document(document))
        return payload
    }

    private static func envelope(
        _ event: HookEvent, collection: String, caller: Caller, index: Int, batch: HookBatch, dryRun: Bool
    ) -> BSONDocument {
        var payload = BSONDocument([
            "event": .string(event.rawValue),
            "collection": .string(collection),
            "tenant_id": .string(caller.tenantId),
            "user": .document(BSONDocument([
                "id": .string(caller.id), "roles": .array(caller.roles.map(BSON.string)),
            ])),
            "index": .int64(Int64(index)),
            "batch": batch.json,
        ])
        if dryRun { payload.append("dry_run", .bool(true)) }
        return payload
    }
}

/// The `batch` of a hook envelope: one id per request, and how many documents it has.
struct HookBatch: Sendable, Equatable {
    var id: String
    var size: Int

    /// A fresh id (an ObjectId's hex) for a request of `size` documents.
    static func new(size: Int) -> HookBatch {
        HookBatch(id: ObjectId.generate().hex, size: size)
    }

    var json: BSON {
        .document(BSONDocument(["id": .string(id), "size": .int64(Int64(size))]))
    }
}
