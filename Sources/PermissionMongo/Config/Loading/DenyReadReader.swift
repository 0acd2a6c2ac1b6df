import PMConfigFiles
import PMSchema
import Yams

/// `deny_read:` of a role — field paths hidden from what the role lets the caller read
/// (docs/API.md, "Field-level read rules"). Each path must name a field the collection
/// can hold: a declared field (or a server field other than `_id` and `tenant_id`),
/// or a path inside a declared field whose contents the schema leaves open. A typo would
/// otherwise show what it was meant to hide.
enum DenyReadReader {
    static func read(_ node: ConfigNode, schema: CollectionSchema) -> [String] {
        guard case .sequence(let sequence) = node.node else {
            node.report("must be a list of field paths")
            return []
        }
        var paths: [String] = []
        for (index, element) in sequence.enumerated() {
            let item = node.item(index, element)
            guard let path = item.nonEmptyString() else { continue }
            if let problem = problem(with: path, in: schema) {
                item.report(problem)
            } else if !paths.contains(path) {
                paths.append(path)
            }
        }
        return paths
    }

    /// Why `path` cannot be hidden, or `nil` when it can.
    static func problem(with path: String, in schema: CollectionSchema) -> String? {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if components.contains(where: \.isEmpty) { return "\"\(path)\" is not a field path (empty segment)" }
        if components.contains(where: { $0.hasPrefix("$") }) { return "\"\(path)\" is not a field path (starts with $)" }
        if let index = components.first(where: { $0.allSatisfy(\.isNumber) }) {
            return "\"\(path)\" has an array index (\(index)): name the field, it is hidden in every item"
        }
        let first = components[0]
        if first == "_id" || first == "tenant_id" {
            return "\(first) cannot be hidden: every response names the document and its tenant by it"
        }
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
