import PMConfigFiles
import PMSchema

/// `collections.<name>.indexes:` → `[DeclaredIndex]` (docs/API.md, "Indexes"): a list of
/// `{fields, name, unique, expire_after_seconds}`, each field a path of the collection
/// (`CollectionFieldPath`) with 1 or -1.
enum IndexesReader {
    static let keys = ["fields", "name", "unique", "expire_after_seconds"]
    /// MongoDB's limit on the fields of one index; `tenant_id` takes one.
    static let maxFields = 31
    /// MongoDB's limit on `expireAfterSeconds` (a 32-bit signed integer).
    static let maxExpireAfterSeconds = Int(Int32.max)

    static func read(_ node: ConfigNode, schema: CollectionSchema) -> [DeclaredIndex] {
        guard case .sequence(let sequence) = node.node else {
            node.report("must be a list of indexes")
            return []
        }
        var indexes: [DeclaredIndex] = []
        for (position, element) in sequence.enumerated() {
            let item = node.item(position, element)
            guard let index = readIndex(item, schema: schema) else { continue }
            if let problem = clash(of: index, with: indexes, uniqueFields: schema.uniqueFields) {
                item.report(problem)
                continue
            }
            indexes.append(index)
        }
        return indexes
    }

    private static func readIndex(_ node: ConfigNode, schema: CollectionSchema) -> DeclaredIndex? {
        guard let settings = node.entries(allowed: keys) else { return nil }
        var fields: [DeclaredIndex.Field]?
        var name: String?
        var unique = false
        var expiry: (seconds: Int, node: ConfigNode)?
        var valid = true
        for setting in settings {
            let value = setting.value
            switch setting.name {
            case "fields":
                fields = readFields(value, schema: schema)
            case "name":
                guard let text = value.nonEmptyString() else { valid = false; continue }
                if let problem = problem(withName: text) {
                    value.report(problem)
                    valid = false
                }
                name = text
            case "unique":
                if let flag = value.bool() { unique = flag } else { valid = false }
            default:  // expire_after_seconds
                guard let seconds = value.int(atLeast: 0) else { valid = false; continue }
                if seconds > maxExpireAfterSeconds {
                    value.report("must be at most \(maxExpireAfterSeconds)")
                    valid = false
                }
                expiry = (seconds, value)
            }
        }
        guard settings.contains(where: { $0.name == "fields" }) else {
            node.report("fields is required")
            return nil
        }
        guard valid, let fields else { return nil }
        if let expiry, let problem = ttlProblem(fields: fields, unique: unique, schema: schema) {
            expiry.node.report(problem)
            return nil
        }
        return DeclaredIndex(
            fields: fields, name: name, unique: unique, expireAfterSeconds: expiry?.seconds,
            file: node.file, line: node.line, key: node.key)
    }

    /// The ordered `path: 1 | -1` mapping; `nil` after reporting a problem.
    private static func readFields(_ node: ConfigNode, schema: CollectionSchema) -> [DeclaredIndex.Field]? {
        guard let entries = node.entries() else { return nil }
        guard !entries.isEmpty else {
            node.report("must name at least one field")
            return nil
        }
        guard entries.count <= maxFields else {
            node.report("has \(entries.count) fields; an index has at most \(maxFields) besides tenant_id")
            return nil
        }
        var fields: [DeclaredIndex.Field] = []
        for entry in entries {
            let value = entry.value
            if let problem = CollectionFieldPath.problem(
                with: entry.name, in: schema, refused: ["tenant_id": "tenant_id starts every index already: leave it out"],
                arrayIndexAdvice: "name the field, the index covers every item") {
                value.report(problem, line: entry.keyLine)
                continue
            }
            guard case .scalar = value.node, value.tagName == .int, let number = value.node.int,
                  let order = DeclaredIndex.Order(rawValue: Int32(clamping: number)) else {
                value.report("must be 1 (ascending) or -1 (descending)")
                continue
            }
            fields.append(DeclaredIndex.Field(entry.name, order))
        }
        return fields.count == entries.count ? fields : nil
    }

    /// Explicit names: not the derived names' `pm_` (the gateway's own indexes), and
    /// characters that read the same in every log and shell.
    static func problem(withName name: String) -> String? {
        if name.hasPrefix("pm_") { return "must not start with pm_ (the gateway's own index names)" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar))
        }
        return allowed ? nil : "may contain only letters, digits, _, - and ."
    }

    /// A TTL index: one field, a date, not unique (MongoDB TTL indexes are single-field, so
    /// it has no `tenant_id` before it and would be unique across tenants).
    private static func ttlProblem(fields: [DeclaredIndex.Field], unique: Bool, schema: CollectionSchema) -> String? {
        guard fields.count == 1 else { return "a TTL index has exactly one field (it has \(fields.count))" }
        if unique { return "a TTL index cannot be unique (it spans every tenant)" }
        let path = fields[0].path
        let type = ReservedFields.field(named: path)?.type ?? schema.field(at: path)?.innermostItems.type
        guard type == .date else {
            return "a TTL index needs a date field: \(path) is not declared type: date (nor created_at, updated_at, deleted_at)"
        }
        return nil
    }

    /// Why `index` cannot be created beside the ones before it and the indexes of the
    /// `unique` fields, or `nil`.
    private static func clash(of index: DeclaredIndex, with earlier: [DeclaredIndex], uniqueFields: [String]) -> String? {
        if let other = earlier.first(where: { $0.name == index.name }) {
            return "name \(index.name) is already used by \(other.key)"
        }
        if let other = earlier.first(where: { $0.fields == index.fields && ($0.expireAfterSeconds == nil) == (index.expireAfterSeconds == nil) }) {
            return "has the same fields as \(other.key)"
        }
        if index.expireAfterSeconds == nil, index.fields.count == 1, index.fields[0].order == .ascending,
           uniqueFields.contains(index.fields[0].path) {
            let path = index.fields[0].path
            return "\(path) is unique: its index \(IndexSetup.indexName(path)) has these fields already"
        }
        return nil
    }
}
