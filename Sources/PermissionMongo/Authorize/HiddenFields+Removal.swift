import PMBSON

extension HiddenFields {
    /// Removes the hidden fields from `document`: a nested path only removes its last
    /// field, inside every item when it goes through an array (of arrays too).
    func remove(from document: inout BSONDocument) {
        for path in paths { Self.remove(path[...], from: &document) }
    }

    /// The same for a value that may be a document or an array of them.
    func remove(from value: inout BSON) {
        for path in paths { Self.remove(path[...], from: &value) }
    }

    private static func remove(_ path: ArraySlice<String>, from document: inout BSONDocument) {
        guard let key = path.first else { return }
        let rest = path.dropFirst()
        if rest.isEmpty {
            document[key] = nil
            return
        }
        for index in document.elements.indices where bsonKeysEqual(document.elements[index].key, key) {
            remove(rest, from: &document.elements[index].value)
        }
    }

    private static func remove(_ path: ArraySlice<String>, from value: inout BSON) {
        switch value {
        case .document(var document):
            value = .null  // let `document` be the only owner: edited in place, not copied
            remove(path, from: &document)
            value = .document(document)
        case .array(var items):
            value = .null
            for index in items.indices { remove(path, from: &items[index]) }
            value = .array(items)
        default:
            break
        }
    }
}
