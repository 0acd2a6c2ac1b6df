import MCP

/// The MCP tools `permission-mongo mcp` offers: Rekor's `batch_operations` over the
/// gateway's mixed batch, and `describe_collections`.
public enum GatewayTools {
    public static let batchOperations = "batch_operations"
    public static let describeCollections = "describe_collections"

    public static var all: [Tool] { [batchOperationsTool, describeCollectionsTool] }

    static let operationKinds: [Value] = ["create", "update", "upsert", "delete", "get", "list", "link", "unlink"]

    /// An id: 24 hex digits, or `{"$ref": n}` for the id created or matched by operation n.
    static let idSchema: Value = [
        "description": "Document id (24 hex digits), or {\"$ref\": n} for the id created or matched by operation n of this batch.",
        "oneOf": [
            ["type": "string"],
            ["type": "object", "properties": ["$ref": ["type": "integer", "minimum": 0]], "required": ["$ref"],
             "additionalProperties": false],
        ],
    ]

    static let endpointSchema: Value = [
        "type": "object",
        "properties": ["collection": ["type": "string"], "id": idSchema],
        "required": ["collection", "id"],
        "additionalProperties": false,
    ]

    static let operationSchema: Value = [
        "type": "object",
        "properties": [
            "op": ["type": "string", "enum": .array(operationKinds), "description": "What to do."],
            "collection": ["type": "string", "description": "The collection (create, update, upsert, delete, get, list)."],
            "id": idSchema,
            "data": ["type": "object", "description": "The document (create), the fields to set (update, upsert)."],
            "match": ["type": "object", "description": "upsert: fields selecting at most one document; on insert they are part of it."],
            "filter": ["type": "object", "description": "list: a MongoDB query (field equality, $eq $ne $gt $gte $lt $lte $in $nin $exists $and $or ...)."],
            "limit": ["type": "integer", "minimum": 1, "description": "list: at most this many documents."],
            "rel_type": ["type": "string", "description": "link, unlink: the kind of relationship, e.g. \"contains\"."],
            "source": endpointSchema,
            "target": endpointSchema,
        ],
        "required": ["op"],
    ]

    static let optionsSchema: Value = [
        "type": "object",
        "properties": [
            "atomic": ["type": "boolean", "default": true, "description": "All or nothing (default true)."],
            "validate_only": ["type": "boolean", "default": false, "description": "Check schemas, policies and pre-hooks; write nothing."],
            "return_records": ["type": "boolean", "default": false, "description": "Return the written documents."],
            "continue_on_error": ["type": "boolean", "default": false, "description": "Not atomic: run every operation even after a failure."],
        ],
        "additionalProperties": false,
    ]

    static let batchOperationsTool = Tool(
        name: batchOperations,
        title: "Batch operations",
        description: """
            Run several document operations in one request to the Permission Mongo gateway (POST /batch): \
            create, update, upsert, delete, get, list, link and unlink, in order, by default all or nothing \
            (atomic). Every operation is checked against the collection's schema and the caller's policies. \
            Use {"$ref": n} wherever an id is expected to refer to the document created or matched by \
            operation n. Returns the gateway's JSON answer: success, total, succeeded, failed and one \
            result per operation (index, status, id, data, error). Call describe_collections first to \
            learn the collections and their fields.
            """,
        inputSchema: [
            "type": "object",
            "properties": [
                "operations": ["type": "array", "minItems": 1, "items": operationSchema, "description": "The operations, run in order."],
                "options": optionsSchema,
                "idempotency_key": [
                    "type": "string", "minLength": 1, "maxLength": 255,
                    "description": """
                        Optional, 1-255 printable ASCII characters. Calling again with the same key and the same \
                        operations returns the first answer instead of running them twice: use it when a call may \
                        have failed after the gateway received it.
                        """,
                ],
            ],
            "required": ["operations"],
        ],
        annotations: .init(title: "Batch operations", readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false)
    )

    static let describeCollectionsTool = Tool(
        name: describeCollections,
        title: "Describe collections",
        description: """
            List the collections of the Permission Mongo gateway that the caller may use (GET /_collections): \
            for each its name, the actions the caller's roles allow, soft delete, versioning and its schema \
            (fields with type, required, min/max, lengths, enum, pattern, default; additional_fields).
            """,
        inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
        annotations: .init(title: "Describe collections", readOnlyHint: true, openWorldHint: false)
    )
}
