import PMBSON

/// A value compared with a field (a plain field value, or the operand of `$eq`, `$ne`,
/// `$gt`, ..., an item of `$in`, `$nin`, `$all`) is data: a document anywhere inside it may
/// not have a `$`-key, which the backend would read as an operator (docs/API.md, "Filters").
enum FilterValue {
    static func check(_ value: BSON, path: String, depth: Int = 0) throws {
        guard depth < ClientFilter.maxDepth else { throw DomainError.invalidRequest("filter is nested too deeply") }
        switch value {
        case .document(let document):
            for element in document.elements {
                if element.key.hasPrefix("$") {
                    throw DomainError.invalidRequest(
                        "filter operator \(element.key) is not allowed inside a value compared with \(path)")
                }
                try check(element.value, path: path, depth: depth + 1)
            }
        case .array(let items):
            for item in items { try check(item, path: path, depth: depth + 1) }
        default:
            return
        }
    }
}
