import PMBSON

/// The parameters of `components.parameters`: path segments, query strings and request headers
/// as docs/API.md describes them.
enum OpenAPIParameters {
    enum Name: String, CaseIterable {
        case requestId = "RequestId"
        case idempotencyKey = "IdempotencyKey"
        case documentId = "DocumentId"
        case versionNumber = "VersionNumber"
        case deliveryId = "DeliveryId"
        case atomic = "Atomic"
        case reportDenied = "ReportDenied"
        case filter = "Filter"
        case sort = "Sort"
        case skip = "Skip"
        case limit = "Limit"
        case relType = "RelType"
        case direction = "Direction"
        case deliveryStatus = "DeliveryStatus"
        case deliveryCollection = "DeliveryCollection"
        case deliveryEvent = "DeliveryEvent"
        case since = "Since"
        case after = "After"
    }

    static func ref(_ name: Name) -> BSON {
        ["$ref": .string("#/components/parameters/" + name.rawValue)]
    }

    static func refs(_ names: [Name]) -> [BSON] {
        names.map(ref)
    }

    static func components(_ server: ServerSettings) -> BSONDocument {
        BSONDocument(elements: Name.allCases.map { BSONDocument.Element(key: $0.rawValue, value: parameter($0, server)) })
    }

    private static func parameter(_ name: Name, _ server: ServerSettings) -> BSON {
        typealias S = JSONSchemaValues
        switch name {
        case .requestId:
            return header("X-Request-Id", "Echoed in the answer and its logs; else the gateway makes one.",
                          ["type": "string", "pattern": "^[!-~]{1,128}$"])
        case .idempotencyKey:
            return header("Idempotency-Key", "The same key again replays the first answer instead of writing again (docs/API.md, \"Idempotency-Key\").",
                          ["type": "string", "pattern": "^[ -~]{1,255}$"])
        case .documentId:
            return path("id", "The document's id; anything but 24 hex digits is 404.", S.ref(SharedSchemas.objectId))
        case .versionNumber:
            return path("n", "The version, 1 for the oldest.", S.integer(minimum: 1))
        case .deliveryId:
            return path("id", "The delivery's id (its `X-PM-Event-Id`).", S.ref(SharedSchemas.objectId))
        case .atomic:
            return query("atomic", "All or nothing, in one transaction: any failure writes nothing and answers 422.", S.boolean)
        case .reportDenied:
            return query("report_denied", "By ids only: add `denied` and `missing`, the requested ids that did not count.", S.boolean)
        case .filter:
            return [
                "name": "filter", "in": "query", "required": false,
                "description": "A URL-encoded JSON filter; absent or empty: everything visible.",
                "content": ["application/json": ["schema": S.ref(SharedSchemas.filter)]],
            ]
        case .sort:
            return query("sort", "Comma-separated field paths, `-` before one for descending: `price,-created_at`.",
                         S.string())
        case .skip:
            return query("skip", "Matches to skip.", ["type": "integer", "minimum": 0, "default": 0])
        case .limit:
            let max = Int64(server.maxBatchSize)
            return query("limit", "Most items answered (`server.max_batch_size` at most).",
                         ["type": "integer", "minimum": 1, "maximum": .int64(max), "default": .int64(min(50, max))])
        case .relType:
            return query("rel_type", "Only relationships of this type.", ["type": "string", "pattern": "^[A-Za-z0-9_.-]{1,100}$"])
        case .direction:
            return query("direction", "`out`: the document is the source; `in`: the target.",
                         ["type": "string", "enum": ["out", "in", "both"], "default": "both"])
        case .deliveryStatus:
            return query("status", "Only deliveries in this state.", S.oneOf(["pending", "delivered", "dead"]))
        case .deliveryCollection:
            return query("collection", "Only deliveries of this collection.", S.string())
        case .deliveryEvent:
            return query("event", "Only deliveries of this event.", S.oneOf(["post_create", "post_update", "post_delete"]))
        case .since:
            return query("since", "Only deliveries recorded at or after this time (ISO-8601).", S.dateTime)
        case .after:
            return query("after", "The `next` of the previous page.", S.ref(SharedSchemas.objectId))
        }
    }

    private static func header(_ name: String, _ description: String, _ schema: BSON) -> BSON {
        plain(name, in: "header", description, schema)
    }

    private static func path(_ name: String, _ description: String, _ schema: BSON) -> BSON {
        plain(name, in: "path", description, schema)
    }

    private static func query(_ name: String, _ description: String, _ schema: BSON) -> BSON {
        plain(name, in: "query", description, schema)
    }

    /// A path segment is always required; headers and query strings never are.
    private static func plain(_ name: String, in place: String, _ description: String, _ schema: BSON) -> BSON {
        [
            "name": .string(name), "in": .string(place), "required": .bool(place == "path"),
            "description": .string(description), "schema": schema,
        ]
    }
}
