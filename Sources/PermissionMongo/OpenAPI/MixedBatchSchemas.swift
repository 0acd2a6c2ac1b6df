import PMBSON

/// `POST /batch`: its request, operations and answer as `components.schemas` (docs/API.md,
/// "Mixed batch"). `collections` are the names an operation may give (all, or the caller's).
struct MixedBatchSchemas {
    let collections: [String]
    let server: ServerSettings

    static let request = "MixedBatchRequest"
    static let result = "MixedBatchResult"

    private typealias S = JSONSchemaValues

    /// Each op, its schema's name and its own keys beside `op`, with the required ones.
    private var operations: [(op: String, name: String, keys: BSONDocument, required: [String])] {
        let collection = S.ref("CollectionName")
        let id = S.ref("OperationTarget")
        let data = S.anyObject("A document of the collection, as its routes take it; {\"$ref\": n} may stand for an id anywhere inside.")
        let end = S.object(["collection": collection, "id": id], required: ["collection", "id"])
        let relType: BSON = ["type": "string", "pattern": "^[A-Za-z0-9_.-]{1,100}$"]
        let link: BSONDocument = ["rel_type": relType, "source": end, "target": end]
        return [
            ("create", "CreateOperation", ["collection": collection, "data": data], ["collection", "data"]),
            ("update", "UpdateOperation",
             ["collection": collection, "id": id, "data": S.anyObject("Fields to set, or update operators.")],
             ["collection", "id", "data"]),
            ("upsert", "UpsertOperation",
             ["collection": collection,
              "match": ["type": "object", "minProperties": 1, "description": "Fields compared for equality; no operators."],
              "data": S.anyObject("Fields to set (no operators).")],
             ["collection", "match", "data"]),
            ("delete", "DeleteOperation", ["collection": collection, "id": id], ["collection", "id"]),
            ("get", "GetOperation", ["collection": collection, "id": id], ["collection", "id"]),
            ("list", "ListOperation",
             ["collection": collection, "filter": S.ref(SharedSchemas.filter),
              "sort": S.string("Like \"field,-other\"."), "skip": S.integer(minimum: 0),
              "limit": S.integer(minimum: 1, maximum: server.maxBatchSize)],
             ["collection"]),
            ("link", "LinkOperation", link, ["rel_type", "source", "target"]),
            ("unlink", "UnlinkOperation", link, ["rel_type", "source", "target"]),
        ]
    }

    var components: BSONDocument {
        var schemas = BSONDocument()
        schemas.append("CollectionName", collections.isEmpty ? S.string() : S.oneOf(collections))
        schemas.append("OperationRef", [
            "type": "object", "description": "{\"$ref\": n}: the id created or matched by the earlier operation n.",
            "patternProperties": ["^\\$ref$": ["type": "integer", "minimum": 0]],
            "required": ["$ref"], "additionalProperties": false,
        ])
        schemas.append("OperationTarget", ["oneOf": [S.ref(SharedSchemas.objectId), S.ref("OperationRef")]])
        var mapping = BSONDocument()
        for operation in operations {
            var keys: BSONDocument = ["op": S.oneOf([operation.op])]
            keys.elements += operation.keys.elements
            schemas.append(operation.name, S.object(keys, required: ["op"] + operation.required))
            mapping.append(operation.op, .string("#/components/schemas/" + operation.name))
        }
        schemas.append("MixedBatchOperation", [
            "oneOf": .array(operations.map { S.ref($0.name) }),
            "discriminator": ["propertyName": "op", "mapping": .document(mapping)],
        ])
        let option = { (description: String) -> BSON in
            ["type": ["boolean", "null"], "description": .string(description)]
        }
        schemas.append("MixedBatchOptions", S.object([
            "atomic": option("Default true: one transaction, the first failure stops the batch and nothing is written."),
            "validate_only": option("Default false: run everything, write nothing."),
            "return_records": option("Default false: create, update and upsert results carry the stored document."),
            "continue_on_error": option("Default false: with atomic false, run every operation even after one failed."),
        ]))
        schemas.append(Self.request, S.object(
            ["operations": S.array(S.ref("MixedBatchOperation"), minItems: 1, maxItems: server.maxBatchSize),
             "options": S.ref("MixedBatchOptions")],
            required: ["operations"]))
        schemas.append("OperationResult", S.object(
            ["index": S.integer(minimum: 0), "status": S.integer(minimum: 100, maximum: 599), "id": S.ref(SharedSchemas.objectId),
             "data": ["type": ["object", "array"], "description": "The document; the documents of a list."],
             "count": S.integer(minimum: 0), "error": S.ref(ErrorEnvelopeSchemas.operationError)],
            required: ["index", "status"]))
        schemas.append(Self.result, S.object(
            ["success": S.boolean, "total": S.integer(minimum: 0), "succeeded": S.integer(minimum: 0),
             "failed": S.integer(minimum: 0), "results": S.array(S.ref("OperationResult"))],
            required: ["success", "total", "succeeded", "failed", "results"]))
        return schemas
    }
}
