import PMBSON

/// A filter, sort or upsert match may not name a field hidden from the caller, nor a
/// parent or a path inside one (docs/API.md, "Field-level read rules"): which documents
/// match, and in what order, would tell the hidden values. 403 naming the field.
///
/// Runs on a filter `ClientFilter` has already checked. `$and`, `$or`, `$nor` are looked
/// into, and so are `$elemMatch` queries (`{lines: {$elemMatch: {cost: 1}}}` names
/// `lines.cost`); every other condition names its field.
struct HiddenFieldFilter {
    let hidden: HiddenFields

    func check(filter: BSONDocument, what: String = "filter on") throws {
        guard !hidden.isEmpty else { return }
        try query(filter, prefix: "", what: what)
    }

    func check(sort: BSONDocument?) throws {
        guard !hidden.isEmpty, let sort else { return }
        for element in sort.elements { try named(element.key, what: "sort on") }
    }

    private func query(_ filter: BSONDocument, prefix: String, what: String) throws {
        for element in filter.elements {
            if element.key.hasPrefix("$") {
                guard case .array(let clauses) = element.value else { continue }
                for case .document(let clause) in clauses { try query(clause, prefix: prefix, what: what) }
            } else {
                let path = prefix.isEmpty ? element.key : prefix + "." + element.key
                try condition(element.value, path: path, what: what)
            }
        }
    }

    private func condition(_ value: BSON, path: String, what: String) throws {
        guard case .document(let operators) = value, operators.elements.first?.key.hasPrefix("$") == true else {
            return try named(path, what: what)
        }
        for element in operators.elements {
            switch element.key {
            case "$elemMatch":
                try elementMatch(element.value, path: path, what: what)
            case "$not":
                try condition(element.value, path: path, what: what)
            case "$all":
                guard case .array(let items) = element.value else { return try named(path, what: what) }
                for item in items {
                    if case .document(let inner) = item, inner.count == 1, let match = inner["$elemMatch"] {
                        try elementMatch(match, path: path, what: what)
                    } else {
                        try named(path, what: what)
                    }
                }
            default:
                try named(path, what: what)
            }
        }
    }

    /// A query on the items' fields looks inside; conditions on the items themselves name the field.
    private func elementMatch(_ value: BSON, path: String, what: String) throws {
        guard case .document(let inner) = value, let first = inner.elements.first,
              !first.key.hasPrefix("$") || ClientFilter.logicalOperators.contains(first.key)
        else { return try named(path, what: what) }
        try query(inner, prefix: path, what: what)
    }

    private func named(_ path: String, what: String) throws {
        guard let field = hidden.revealed(by: path) else { return }
        let why = field == path ? "it is hidden from the caller" : "\(field) is hidden from the caller"
        throw DomainError.forbidden("the caller may not \(what) \(path): \(why)")
    }
}

extension ReadVisibility {
    /// 403 when `filter` names a hidden field (`HiddenFieldFilter`).
    func check(filter: BSONDocument, what: String = "filter on") throws {
        try HiddenFieldFilter(hidden: refused).check(filter: filter, what: what)
    }

    func check(sort: BSONDocument?) throws {
        try HiddenFieldFilter(hidden: refused).check(sort: sort)
    }
}
