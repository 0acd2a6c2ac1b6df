import PMBSON

/// `{"$ref": n}` in a mixed batch: the id created or matched by operation n, usable where
/// an id is expected and as a value inside `data`, `match` and `filter`.
enum BatchReferences {
    /// n when `document` is exactly `{"$ref": n}` with a non-negative integer n.
    static func index(of document: BSONDocument) -> Int? {
        guard document.count == 1, let element = document.elements.first, element.key == "$ref" else { return nil }
        switch element.value {
        case .int32(let n) where n >= 0: return Int(n)
        case .int64(let n) where n >= 0 && n <= Int64(Int32.max): return Int(n)
        default: return nil
        }
    }

    /// Every operation index referred to anywhere inside `value`.
    static func indexes(in value: BSON) -> [Int] {
        switch value {
        case .document(let document):
            if let index = index(of: document) { return [index] }
            return document.elements.flatMap { indexes(in: $0.value) }
        case .array(let items):
            return items.flatMap { indexes(in: $0) }
        default:
            return []
        }
    }

    /// `document` with every reference replaced by its id; a reference to an operation
    /// without an id (failed, or one that yields none) fails the operation (424).
    static func resolve(_ document: BSONDocument, ids: [Int: BSON]) throws -> BSONDocument {
        guard case .document(let resolved) = try resolve(.document(document), ids: ids) else { return document }
        return resolved
    }

    static func resolve(_ value: BSON, ids: [Int: BSON]) throws -> BSON {
        switch value {
        case .document(let document):
            if let index = index(of: document) { return try id(of: index, ids: ids) }
            var copy = BSONDocument()
            for element in document.elements {
                copy.append(element.key, try resolve(element.value, ids: ids))
            }
            return .document(copy)
        case .array(let items):
            return .array(try items.map { try resolve($0, ids: ids) })
        default:
            return value
        }
    }

    static func id(of index: Int, ids: [Int: BSON]) throws -> BSON {
        guard let id = ids[index] else {
            throw DomainError.dependencyFailed("operation \(index) produced no id to refer to")
        }
        return id
    }
}
