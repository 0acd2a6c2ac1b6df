import PMBSON

/// A collection's schema as JSON, in the words of the configuration (§2): for clients
/// and tools that want to know what they may send (`GET /_collections`).
enum SchemaDescription {
    static func object(_ schema: ObjectSchema) -> BSONDocument {
        var fields = BSONDocument()
        for field in schema.fields { fields.append(field.name, .document(describe(field))) }
        return BSONDocument(["additional_fields": .string(schema.additionalFields.rawValue), "fields": .document(fields)])
    }

    static func describe(_ field: FieldSchema) -> BSONDocument {
        var out = BSONDocument(["type": .string(field.type.rawValue)])
        if field.isRequired { out.append("required", .bool(true)) }
        if field.isUnique { out.append("unique", .bool(true)) }
        if let value = field.defaultValue { out.append("default", value) }
        for rule in field.rules {
            switch rule {
            case .minimum(let bound, _): out.append("min", number(bound))
            case .maximum(let bound, _): out.append("max", number(bound))
            case .minLength(let length, _): out.append("min_length", .int64(Int64(length)))
            case .maxLength(let length, _): out.append("max_length", .int64(Int64(length)))
            case .oneOf(let values, _): out.append("enum", .array(values))
            case .pattern(let pattern, _): out.append("pattern", .string(pattern.source))
            }
        }
        if let nested = field.nested {
            let described = object(nested)
            for element in described.elements { out.append(element.key, element.value) }
        }
        if let items = field.items { out.append("items", .document(describe(items))) }
        return out
    }

    /// `0` rather than `0.0` for a bound written as an integer.
    private static func number(_ value: Double) -> BSON {
        if let integral = Int64(exactly: value) { return .int64(integral) }
        return .double(value)
    }
}
