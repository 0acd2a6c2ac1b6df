import PMBSON

/// Short spellings of the JSON Schema values the OpenAPI components are made of.
enum JSONSchemaValues {
    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> BSON {
        ["$ref": .string("#/components/schemas/" + name)]
    }

    /// An object with these properties, `required` ones, and no others unless `open`; `more`
    /// keywords at the end.
    static func object(
        _ properties: BSONDocument, required: [String] = [], open: Bool = false, description: String? = nil,
        more: BSONDocument = BSONDocument()
    ) -> BSON {
        var schema: BSONDocument = ["type": "object"]
        if let description { schema.append("description", .string(description)) }
        schema.append("properties", .document(properties))
        if !required.isEmpty { schema.append("required", .array(required.map(BSON.string))) }
        if !open { schema.append("additionalProperties", false) }
        schema.elements += more.elements
        return .document(schema)
    }

    /// Any JSON object.
    static func anyObject(_ description: String) -> BSON {
        ["type": "object", "description": .string(description)]
    }

    static func array(_ items: BSON, minItems: Int? = nil, maxItems: Int? = nil) -> BSON {
        var schema: BSONDocument = ["type": "array", "items": items]
        if let minItems { schema.append("minItems", .int64(Int64(minItems))) }
        if let maxItems { schema.append("maxItems", .int64(Int64(maxItems))) }
        return .document(schema)
    }

    static func string(_ description: String? = nil) -> BSON {
        described(["type": "string"], description)
    }

    static func integer(minimum: Int? = nil, maximum: Int? = nil, _ description: String? = nil) -> BSON {
        var schema: BSONDocument = ["type": "integer"]
        if let minimum { schema.append("minimum", .int64(Int64(minimum))) }
        if let maximum { schema.append("maximum", .int64(Int64(maximum))) }
        return described(schema, description)
    }

    static let boolean: BSON = ["type": "boolean"]

    /// A string that is one of `values`.
    static func oneOf(_ values: [String], _ description: String? = nil) -> BSON {
        described(["type": "string", "enum": .array(values.map(BSON.string))], description)
    }

    /// A date as answers write it (ISO-8601 UTC with milliseconds).
    static let dateTime: BSON = ["type": "string", "format": "date-time"]

    /// `schema` or `null`.
    static func nullable(_ schema: BSON) -> BSON {
        ["oneOf": [schema, ["type": "null"]]]
    }

    private static func described(_ schema: BSONDocument, _ description: String?) -> BSON {
        var schema = schema
        if let description { schema.append("description", .string(description)) }
        return .document(schema)
    }
}
