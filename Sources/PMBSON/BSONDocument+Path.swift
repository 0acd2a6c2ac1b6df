extension BSONDocument {
    /// The value at a dotted path such as `dims.w` or `tags.0`: each component
    /// names a field of a document, or, on an array, a zero-based decimal index.
    /// `nil` when any step is missing. No array fan-out: `items.price` on an
    /// array of documents is `nil` (MongoDB query semantics belong to callers).
    public func value(atPath path: some StringProtocol) -> BSON? {
        var current: BSON = .document(self)
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .document(let document):
                guard let next = document.value(forKey: component) else { return nil }
                current = next
            case .array(let values):
                guard let index = Self.arrayIndex(component), index < values.count else { return nil }
                current = values[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The first value stored under `key` (any string type, no allocation;
    /// byte-for-byte match).
    public func value(forKey key: some StringProtocol) -> BSON? {
        for element in elements where bsonKeysEqual(element.key, key) { return element.value }
        return nil
    }

    /// Whether a field named `key` exists.
    public func contains(key: some StringProtocol) -> Bool {
        elements.contains { bsonKeysEqual($0.key, key) }
    }

    /// A path component read as an array index, as MongoDB reads one: digits only, no
    /// sign, no leading zeros (except "0"); fits in Int.
    public static func arrayIndex(_ component: some StringProtocol) -> Int? {
        let utf8 = component.utf8
        guard !utf8.isEmpty, utf8.count <= 18 else { return nil }
        if utf8.count > 1 && utf8.first == UInt8(ascii: "0") { return nil }
        var value = 0
        for b in utf8 {
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }
}
