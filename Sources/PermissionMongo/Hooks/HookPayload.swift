import PMBSON

/// The JSON bodies sent to hooks (docs/API.md, "Events and payloads"). Per document:
///
///     {"event":"pre_create","collection":"products","tenant_id":"...",
///      "user":{"id":"...","roles":[...]},"index":0,"batch":{"id":"...","size":3},
///      "document":{...}}
///
/// `pre_update` carries `id`, `before` and `update`; `pre_delete` `id` and `document`;
/// every `post_*` `id` and the stored `document`. A batch-mode endpoint gets the envelope
/// without `index` and the documents as `"documents":[entry, ...]` (`HookEntry`).
/// `dry_run: true` is added for validate-only mixed batches.
enum HookPayload {
    static func preCreate(
        collection: String, caller: Caller, index: Int, batch: HookBatch, document: BSONDocument, dryRun: Bool = false
    ) -> BSONDocument {
        single(
            .preCreate, HookContext(collection: collection, caller: caller, batch: batch, dryRun: dryRun),
            .create(index: index, document: document))
    }

    /// - Parameters:
    ///   - before: the stored document before the change.
    ///   - update: the update as the client sent it (fields to set, or update operators).
    static func preUpdate(
        collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON, before: BSONDocument,
        update: BSONDocument, dryRun: Bool = false
    ) -> BSONDocument {
        single(
            .preUpdate, HookContext(collection: collection, caller: caller, batch: batch, dryRun: dryRun),
            .update(index: index, id: id, before: before, update: update))
    }

    /// - Parameter document: the stored document about to be deleted.
    static func preDelete(
        collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON, document: BSONDocument,
        dryRun: Bool = false
    ) -> BSONDocument {
        single(
            .preDelete, HookContext(collection: collection, caller: caller, batch: batch, dryRun: dryRun),
            .written(index: index, id: id, document: document))
    }

    /// `post_create`, `post_update` or `post_delete`: the written document as stored
    /// (after an update: its new state; after a delete: its last state).
    static func post(
        _ event: HookEvent, collection: String, caller: Caller, index: Int, batch: HookBatch, id: BSON,
        document: BSONDocument
    ) -> BSONDocument {
        single(
            event, HookContext(collection: collection, caller: caller, batch: batch, dryRun: false),
            .written(index: index, id: id, document: document))
    }

    /// The body of a per-document call.
    static func single(_ event: HookEvent, _ context: HookContext, _ entry: HookEntry) -> BSONDocument {
        var payload = envelope(event, context, index: entry.index)
        for element in entry.fields.elements { payload.append(element.key, element.value) }
        return payload
    }

    /// The body of a batch-mode call carrying `entries`.
    static func batch(_ event: HookEvent, _ context: HookContext, _ entries: some Sequence<HookEntry>) -> BSONDocument {
        var payload = envelope(event, context, index: nil)
        payload.append("documents", .array(entries.map { $0.batchEntry(event) }))
        return payload
    }

    private static func envelope(_ event: HookEvent, _ context: HookContext, index: Int?) -> BSONDocument {
        var payload = BSONDocument([
            "event": .string(event.rawValue),
            "collection": .string(context.collection),
            "tenant_id": .string(context.caller.tenantId),
            "user": .document(BSONDocument([
                "id": .string(context.caller.id), "roles": .array(context.caller.roles.map(BSON.string)),
            ])),
        ])
        if let index { payload.append("index", .int64(Int64(index))) }
        payload.append("batch", context.batch.json)
        if context.dryRun { payload.append("dry_run", .bool(true)) }
        return payload
    }
}

/// What every call of one request's hooks shares: the collection, the caller, the batch
/// and whether nothing will be written.
struct HookContext: Sendable {
    var collection: String
    var caller: Caller
    var batch: HookBatch
    /// Validate-only mixed batches: payloads carry `dry_run: true`.
    var dryRun = false
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
