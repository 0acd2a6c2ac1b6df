import PMBSON
import PMSchema

/// A client's MongoDB filter, checked against the operator allowlist and with
/// its values read by the schema: ISO-8601 strings on date fields become dates,
/// 24-hex strings on `_id`/objectid fields become ObjectIds. Operands are checked before
/// anything reaches the backend (docs/API.md, "Filters"): `$size` a non-negative integer,
/// `$regex`/`$options` by `RegexCondition`, no `$`-keys inside values (`FilterValue`).
package struct ClientFilter {
    static let fieldOperators: Set<String> = [
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$not",
        "$all", "$size", "$elemMatch", "$regex", "$options",
    ]
    static let logicalOperators: Set<String> = ["$and", "$or", "$nor"]
    static let maxDepth = 64

    let schema: CollectionSchema
    /// `server.max_regex_length`.
    var maxRegexLength = ServerSettings.defaultMaxRegexLength

    package init(schema: CollectionSchema, maxRegexLength: Int = ServerSettings.defaultMaxRegexLength) {
        self.schema = schema
        self.maxRegexLength = maxRegexLength
    }

    /// The checked filter; `{}` is refused unless `allowEmpty` (a list may show everything).
    package func read(_ filter: BSONDocument, allowEmpty: Bool) throws -> BSONDocument {
        if filter.isEmpty && !allowEmpty {
            throw DomainError.invalidRequest("an empty filter {} is not allowed: say which documents you mean")
        }
        return try query(filter, prefix: "", depth: 0)
    }

    private func query(_ filter: BSONDocument, prefix: String, depth: Int) throws -> BSONDocument {
        guard depth < Self.maxDepth else { throw DomainError.invalidRequest("filter is nested too deeply") }
        var out = BSONDocument()
        out.elements.reserveCapacity(filter.count)
        for element in filter.elements {
            let key = element.key
            if key.hasPrefix("$") {
                guard Self.logicalOperators.contains(key) else {
                    throw DomainError.invalidRequest("filter operator \(key) is not allowed here")
                }
                guard case .array(let clauses) = element.value, !clauses.isEmpty else {
                    throw DomainError.invalidRequest("\(key) takes a non-empty array of filters")
                }
                let checked = try clauses.map { clause -> BSON in
                    guard case .document(let sub) = clause else {
                        throw DomainError.invalidRequest("\(key) takes a non-empty array of filters")
                    }
                    guard !sub.isEmpty else {
                        throw DomainError.invalidRequest("\(key) has an empty filter {}: say what you mean")
                    }
                    return .document(try query(sub, prefix: prefix, depth: depth + 1))
                }
                out.append(key, .array(checked))
            } else {
                guard !key.isEmpty else { throw DomainError.invalidRequest("filter has an empty field name") }
                let path = prefix.isEmpty ? key : prefix + "." + key
                out.append(key, try condition(element.value, path: path, depth: depth + 1))
            }
        }
        return out
    }

    /// The value under a field: a literal (equality) or a document of operators.
    private func condition(_ value: BSON, path: String, depth: Int) throws -> BSON {
        guard case .document(let document) = value, let first = document.elements.first,
              first.key.hasPrefix("$")
        else {
            if case .document(let document) = value,
               let op = document.elements.first(where: { $0.key.hasPrefix("$") }) {
                throw DomainError.invalidRequest("filter on \(path) mixes operators (\(op.key)) and field names")
            }
            try FilterValue.check(value, path: path)
            return typed(value, path: path)
        }
        guard depth < Self.maxDepth else { throw DomainError.invalidRequest("filter is nested too deeply") }
        try RegexCondition(maxLength: maxRegexLength).check(document, path: path)
        var out = BSONDocument()
        for element in document.elements {
            let op = element.key
            guard op.hasPrefix("$") else {
                throw DomainError.invalidRequest("filter on \(path) mixes operators (\(first.key)) and field names (\(op))")
            }
            guard Self.fieldOperators.contains(op) else {
                throw DomainError.invalidRequest("filter operator \(op) is not allowed")
            }
            out.append(op, try operand(op, element.value, path: path, depth: depth))
        }
        return .document(out)
    }

    private func operand(_ op: String, _ value: BSON, path: String, depth: Int) throws -> BSON {
        switch op {
        case "$in", "$nin", "$all":
            guard case .array(let items) = value else { throw DomainError.invalidRequest("\(op) on \(path) takes an array") }
            return .array(try items.map { item in
                // An operator document in the list is an operator, not a value: only
                // `$all: [{$elemMatch: ...}, ...]` is allowed, and checked like `$elemMatch`.
                if case .document(let document) = item, let inner = document.elements.first(where: { $0.key.hasPrefix("$") }) {
                    guard op == "$all", document.count == 1, inner.key == "$elemMatch" else {
                        throw DomainError.invalidRequest("filter operator \(inner.key) is not allowed inside \(op) on \(path)")
                    }
                    let checked = try operand(inner.key, inner.value, path: path, depth: depth + 1)
                    return .document(BSONDocument(["$elemMatch": checked]))
                }
                try FilterValue.check(item, path: path)
                return typed(item, path: path)
            })
        case "$exists":
            try FilterValue.check(value, path: path)
            return value
        case "$size":
            guard let size = value.int64Value, size >= 0 else {
                throw DomainError.invalidRequest("$size on \(path) takes a non-negative integer")
            }
            return value
        case "$regex", "$options":
            return value  // checked with their operator document by `RegexCondition`
        case "$not":
            guard case .document(let inner) = value, let first = inner.elements.first, first.key.hasPrefix("$") else {
                throw DomainError.invalidRequest("$not on \(path) takes an operator document")
            }
            return try condition(value, path: path, depth: depth + 1)
        case "$elemMatch":
            guard case .document(let sub) = value else {
                throw DomainError.invalidRequest("$elemMatch on \(path) takes a document")
            }
            if let first = sub.elements.first, first.key.hasPrefix("$"), !Self.logicalOperators.contains(first.key) {
                return try condition(value, path: path, depth: depth + 1)
            }
            return .document(try query(sub, prefix: path, depth: depth + 1))
        default:
            try FilterValue.check(value, path: path)
            return typed(value, path: path)
        }
    }

    /// Reads a string literal by the type of its field (of its items, for arrays), as create
    /// reads values: ISO-8601 strings of dates become dates, hex strings of ObjectIds ObjectIds.
    private func typed(_ value: BSON, path: String) -> BSON {
        guard case .string = value else { return value }
        let field = ReservedFields.field(named: path) ?? schema.field(at: path)?.innermostItems
        return field?.typed(value) ?? value
    }
}
