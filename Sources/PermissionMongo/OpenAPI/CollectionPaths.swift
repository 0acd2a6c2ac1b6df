import PMBSON

/// The paths of one collection (docs/API.md, sections 6, 9, 11 and 12), with the operations of
/// the actions described: `read` lists, gets, versions and relationships; `create`, `update`
/// and `delete` their batch and single-document routes; `restore` the restore route. Versions
/// and restore only with versioning.
struct CollectionPaths {
    let schemas: CollectionSchemas
    /// The headers of the answers of a counted request, when `server.rate_limits` is set.
    let rateLimitHeaders: [OpenAPIHeaders.Name]

    private typealias S = JSONSchemaValues
    private typealias P = OpenAPIParameters

    private var name: String { schemas.collection.name }
    private var versioned: Bool { schemas.collection.versioning.enabled }

    private func has(_ action: Action) -> Bool { schemas.actions.contains(action) }

    /// In a fixed order; paths without an operation are left out.
    var paths: [OpenAPIPathItem] {
        var items: [OpenAPIPathItem] = []
        func add(_ path: String, _ candidates: [(method: String, operation: OpenAPIOperation?)]) {
            var item = OpenAPIPathItem(path: "/\(name)" + path)
            for candidate in candidates {
                if let operation = candidate.operation { item.operations.append((candidate.method, operation)) }
            }
            if !item.operations.isEmpty { items.append(item) }
        }
        add("", [("get", has(.read) ? list : nil), ("post", has(.create) ? createOne : nil)])
        add("/batch", [
            ("put", has(.update) ? updateBatch : nil), ("post", has(.create) ? createBatch : nil),
            ("delete", has(.delete) ? deleteBatch : nil),
        ])
        add("/{id}", [
            ("get", has(.read) ? getOne : nil), ("put", has(.update) ? updateOne : nil),
            ("delete", has(.delete) ? deleteOne : nil),
        ])
        add("/{id}/relationships", [("get", has(.read) ? relationships : nil)])
        add("/{id}/versions", [("get", has(.read) && versioned ? versions : nil)])
        add("/{id}/versions/{n}/restore", [("post", has(.restore) && versioned ? restore : nil)])
        return items
    }

    private func operation(_ id: String, _ summary: String, _ description: String) -> OpenAPIOperation {
        OpenAPIOperation(id: "\(name).\(id)", tag: name, summary: summary, description: description)
    }

    private var list: OpenAPIOperation {
        var operation = operation(
            "list", "List documents",
            "The documents of \(name) the caller may read, a page of them, and `count`, all matches (docs/API.md, \"GET /{collection}\").")
        operation.parameters = P.refs([.filter, .sort, .skip, .limit])
        operation.responses = ["200": OpenAPIOperation.json("A page.", schemas.ref(.page), headers: rateLimitHeaders)]
        operation.errors = [.token, .collection, .badRequest]
        return operation
    }

    private var getOne: OpenAPIOperation {
        var operation = operation("get", "Get a document", "One document the caller may read (docs/API.md, \"Single-document routes\").")
        operation.parameters = P.refs([.documentId])
        operation.responses = ["200": OpenAPIOperation.json("The document.", schemas.ref(.document), headers: rateLimitHeaders)]
        operation.errors = [.token, .collection]
        return operation
    }

    private var createOne: OpenAPIOperation {
        var operation = operation(
            "create", "Create a document",
            "A batch of one: schema, policy, hooks; a failure is the answer's status (docs/API.md, \"Single-document routes\").")
        operation.parameters = P.refs([.idempotencyKey])
        operation.requestBody = OpenAPIOperation.jsonBody(schemas.ref(.document), description: "The new document.")
        operation.responses = ["201": OpenAPIOperation.json("Created.", S.ref(SharedSchemas.createdId), headers: writeHeaders)]
        operation.errors = [.token, .collection, .body, .idempotent]
        return operation
    }

    private var updateOne: OpenAPIOperation {
        var operation = operation(
            "update", "Update a document",
            "Fields to set or update operators; the result is validated (docs/API.md, \"Updates\").")
        operation.parameters = P.refs([.documentId, .idempotencyKey])
        operation.requestBody = OpenAPIOperation.jsonBody(schemas.ref(.update), description: "The update.")
        operation.responses = [
            "200": OpenAPIOperation.json("The document as written.", schemas.ref(.document), headers: writeHeaders),
        ]
        operation.errors = [.token, .collection, .body, .idempotent]
        return operation
    }

    private var deleteOne: OpenAPIOperation {
        var operation = operation(
            "delete", "Delete a document",
            schemas.collection.softDelete ? "Sets deleted_at and deleted_by; the document is then invisible." : "Removes the document.")
        operation.parameters = P.refs([.documentId, .idempotencyKey])
        operation.responses = ["204": OpenAPIOperation.empty("Deleted.", headers: writeHeaders)]
        operation.errors = [.token, .collection, .idempotent]
        return operation
    }

    private var createBatch: OpenAPIOperation {
        batch(
            "createBatch", "Create documents",
            "Each document checked alone; the answer lists what was created and what failed (docs/API.md, \"Create\").",
            flags: [.atomic], body: (schemas.ref(.createBatch), "The documents."),
            answer: ("201", "Created, even when documents failed.", SharedSchemas.createBatchResult))
    }

    private var updateBatch: OpenAPIOperation {
        batch(
            "updateBatch", "Update documents", "By ids or by a filter, in one transaction (docs/API.md, \"Update\").",
            flags: [.atomic, .reportDenied], body: (schemas.ref(.updateBatch), "Which documents, and the update."),
            answer: ("200", "Updated, even when documents failed.", SharedSchemas.updateBatchResult))
    }

    private var deleteBatch: OpenAPIOperation {
        batch(
            "deleteBatch", "Delete documents", "By ids or by a filter (docs/API.md, \"Delete\").",
            flags: [.atomic, .reportDenied], body: (S.ref(SharedSchemas.deleteBatchRequest), "Which documents."),
            answer: ("200", "Deleted, even when documents failed.", SharedSchemas.deleteBatchResult))
    }

    /// A batch route: its query flags and an `Idempotency-Key`, a JSON body, and its answer
    /// `result` at `status`; with `atomic=true` a failure is 422 with the same body, nothing
    /// written (or the envelope, for `idempotency_key_reused`).
    private func batch(
        _ id: String, _ summary: String, _ description: String, flags: [OpenAPIParameters.Name],
        body: (schema: BSON, says: String), answer: (status: String, says: String, result: String)
    ) -> OpenAPIOperation {
        var operation = operation(id, summary, description)
        operation.parameters = P.refs(flags + [.idempotencyKey])
        operation.requestBody = OpenAPIOperation.jsonBody(body.schema, description: body.says)
        operation.responses.append(answer.status, OpenAPIOperation.json(answer.says, S.ref(answer.result), headers: writeHeaders))
        operation.responses.append("422", OpenAPIOperation.json(
            "With atomic=true: a document failed and nothing was written, the failures in the body; or `idempotency_key_reused` in the envelope.",
            ["oneOf": [S.ref(answer.result), S.ref(ErrorEnvelopeSchemas.envelope)]]))
        operation.errors = [.token, .collection, .body, .idempotent]
        return operation
    }

    private var relationships: OpenAPIOperation {
        var operation = operation(
            "relationships", "List a document's relationships",
            "Links made by the mixed batch's link operation whose other end the caller may read (docs/API.md, \"Relationships\").")
        operation.parameters = P.refs([.documentId, .relType, .direction])
        operation.responses = [
            "200": OpenAPIOperation.json("The relationships.", S.ref(SharedSchemas.relationshipList), headers: rateLimitHeaders),
        ]
        operation.errors = [.token, .collection, .badRequest]
        return operation
    }

    private var versions: OpenAPIOperation {
        var operation = operation(
            "versions", "List a document's versions", "Its saved previous states, newest first (docs/API.md, \"Versions and restore\").")
        operation.parameters = P.refs([.documentId])
        operation.responses = [
            "200": OpenAPIOperation.json("The versions.", S.ref(SharedSchemas.versionList), headers: rateLimitHeaders),
        ]
        operation.errors = [.token, .collection]
        return operation
    }

    private var restore: OpenAPIOperation {
        var operation = operation(
            "restore", "Restore a version", "Brings back the state saved as version n; no body is read (docs/API.md, \"Versions and restore\").")
        operation.parameters = P.refs([.documentId, .versionNumber, .idempotencyKey])
        operation.responses = [
            "200": OpenAPIOperation.json("The restored document.", schemas.ref(.document), headers: writeHeaders),
        ]
        operation.errors = [.token, .collection, .idempotent]
        return operation
    }

    /// The headers of a write's answer: a replayed `Idempotency-Key`, the rate limits.
    private var writeHeaders: [OpenAPIHeaders.Name] { [.idempotentReplayed] + rateLimitHeaders }
}
