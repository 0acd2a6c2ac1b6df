/// An ordered BSON document. Keys keep insertion order, as MongoDB does.
public struct BSONDocument: Sendable, Equatable {
    public struct Element: Sendable, Equatable {
        public var key: String
        public var value: BSON
        @inlinable public init(key: String, value: BSON) {
            self.key = key
            self.value = value
        }
    }

    public var elements: [Element]

    @inlinable public init() { elements = [] }
    @inlinable public init(elements: [Element]) { self.elements = elements }
    public init(_ pairs: KeyValuePairs<String, BSON>) {
        elements = pairs.map { Element(key: $0.key, value: $0.value) }
    }

    @inlinable public var count: Int { elements.count }
    @inlinable public var isEmpty: Bool { elements.isEmpty }
    @inlinable public var keys: [String] { elements.map(\.key) }

    /// The first value stored under `key`; setting `nil` removes every such key,
    /// setting a value replaces the first in place or appends.
    /// Keys match byte for byte (as in MongoDB), not by Unicode equivalence.
    public subscript(key: String) -> BSON? {
        get {
            for element in elements where bsonKeysEqual(element.key, key) { return element.value }
            return nil
        }
        set {
            guard let newValue else {
                elements.removeAll { bsonKeysEqual($0.key, key) }
                return
            }
            if let index = elements.firstIndex(where: { bsonKeysEqual($0.key, key) }) {
                elements[index].value = newValue
            } else {
                elements.append(Element(key: key, value: newValue))
            }
        }
    }

    @inlinable public mutating func append(_ key: String, _ value: BSON) {
        elements.append(Element(key: key, value: value))
    }
}
