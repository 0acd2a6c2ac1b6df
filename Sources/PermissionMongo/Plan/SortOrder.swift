import PMBSON

/// `sort=field,-other` (docs/API.md, "GET /{collection}"): comma-separated field paths,
/// `-` for descending. Each path's dot-separated segments are non-empty and do not start
/// with `$` (`tags.$` is refused), no NUL, each field once: 400 before the backend sees it.
enum SortOrder {
    static let shape = "sort must be a comma-separated list of fields, '-' for descending"

    static func parse(_ text: String) throws -> BSONDocument {
        var order = BSONDocument()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let descending = part.hasPrefix("-")
            let field = String(descending ? part.dropFirst() : part[...])
            guard !field.isEmpty else { throw DomainError.invalidRequest("\(shape): an empty field") }
            guard !field.contains("\u{0}") else { throw DomainError.invalidRequest("\(shape): a NUL in \(field)") }
            for segment in FieldPath.components(field) {
                guard !segment.isEmpty else {
                    throw DomainError.invalidRequest("\(shape): \(field) has an empty path segment")
                }
                guard !segment.hasPrefix("$") else {
                    throw DomainError.invalidRequest("\(shape): \(field) has a path segment starting with $ (\(segment))")
                }
            }
            guard order[field] == nil else {
                throw DomainError.invalidRequest("\(shape): \(field) is named twice")
            }
            order.append(field, .int32(descending ? -1 : 1))
        }
        return order
    }
}
