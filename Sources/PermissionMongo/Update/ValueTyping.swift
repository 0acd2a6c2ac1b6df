import PMBSON

/// Reads update values by the collection's schema, as create does: ISO-8601 strings
/// of `date` fields become dates, 24-hex strings of `objectid` fields ObjectIds
/// (recursively through declared nested fields and array items). Anything else is
/// left as is; a string that is not a valid date stays a string and the post-image
/// validation reports it.
struct ValueTyping: Sendable {
    let schema: CollectionSchema?

    /// The value for the field at `path`.
    func typed(_ value: BSON, at path: UpdatePath) -> BSON {
        guard let field = field(at: path.components) else { return value }
        return Self.typed(value, as: field)
    }

    /// An element pushed to (or pulled from) the array at `path`.
    func typedElement(_ value: BSON, ofArrayAt path: UpdatePath) -> BSON {
        guard let items = items(ofArrayAt: path) else { return value }
        return Self.typed(value, as: items)
    }

    /// The declared items of the array field at `path`.
    func items(ofArrayAt path: UpdatePath) -> FieldSchema? {
        guard let field = field(at: path.components), field.type == .array else { return nil }
        return field.items
    }

    /// The declared field at an update path: numeric components on an `array` field
    /// select its items (`lines.0.sku`).
    func field(at components: [String]) -> FieldSchema? {
        guard let schema, let first = components.first, let start = schema.root.field(named: first) else { return nil }
        return Self.descend(from: start, components.dropFirst())
    }

    /// Walks `components` below `field`.
    static func descend(from field: FieldSchema, _ components: some Sequence<String>) -> FieldSchema? {
        var current = field
        for component in components {
            if current.type == .array, UpdatePath.arrayIndex(component) != nil {
                guard let items = current.items else { return nil }
                current = items
            } else {
                guard let next = current.nested?.field(named: component) else { return nil }
                current = next
            }
        }
        return current
    }

    static func typed(_ value: BSON, as field: FieldSchema) -> BSON {
        switch (field.type, value) {
        case (.date, .string(let text)):
            if let date = BSONDate(iso8601: text) { return .date(date) }
        case (.objectid, .string(let hex)):
            if let id = ObjectId(hex: hex) { return .objectId(id) }
        case (.object, .document(var document)):
            guard let nested = field.nested else { return value }
            for index in document.elements.indices {
                if let child = nested.field(named: document.elements[index].key) {
                    document.elements[index].value = typed(document.elements[index].value, as: child)
                }
            }
            return .document(document)
        case (.array, .array(let elements)):
            guard let items = field.items else { return value }
            return .array(elements.map { typed($0, as: items) })
        default:
            break
        }
        return value
    }
}
