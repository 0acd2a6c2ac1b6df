import PMSchema

/// A field path a setting names (`deny_read`, `indexes`): dotted names without array
/// indexes, of a field a document of the collection can hold — a server field, a declared
/// field, or a path inside a declared field whose contents the schema leaves open. A typo
/// is a problem at load rather than a setting that silently covers nothing.
enum CollectionFieldPath {
    /// Why `path` names no such field, or `nil`. `refused`: server fields the setting may not
    /// name, with the reason; `arrayIndexAdvice` follows "has an array index (0): ".
    static func problem(
        with path: String, in schema: CollectionSchema, refused: [String: String], arrayIndexAdvice: String
    ) -> String? {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if components.contains(where: \.isEmpty) { return "\"\(path)\" is not a field path (empty segment)" }
        if components.contains(where: { $0.hasPrefix("$") }) { return "\"\(path)\" is not a field path (starts with $)" }
        if let index = components.first(where: { $0.allSatisfy(\.isNumber) }) {
            return "\"\(path)\" has an array index (\(index)): \(arrayIndexAdvice)"
        }
        let first = components[0]
        if let reason = refused[first] { return reason }
        if ReservedFields.names.contains(first) {
            return components.count == 1 ? nil : "\"\(path)\": \(first) is a server field with nothing inside"
        }
        return undeclared(components[...], in: schema.root, path: path)
    }

    /// Walks `components` through declared fields; stops (accepting) where the schema
    /// declares nothing more: an object without `fields`, an array without `items`, or a
    /// level that declares no fields at all.
    private static func undeclared(_ components: ArraySlice<String>, in object: ObjectSchema, path: String) -> String? {
        guard let name = components.first, !object.fields.isEmpty else { return nil }
        guard var field = object.field(named: name) else {
            return "\"\(path)\" is not a declared field (\(name) is not in the schema)"
        }
        let rest = components.dropFirst()
        guard !rest.isEmpty else { return nil }
        while field.type == .array {
            guard let items = field.items else { return nil }
            field = items
        }
        guard field.type == .object else {
            return "\"\(path)\" is not a declared field (\(name) is a \(field.type.rawValue), it has no fields)"
        }
        guard let nested = field.nested else { return nil }
        return undeclared(rest, in: nested, path: path)
    }
}
