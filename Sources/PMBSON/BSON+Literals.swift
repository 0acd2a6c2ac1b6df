// Literal conformances, so documents can be written inline:
// `let doc: BSONDocument = ["name": "x", "qty": 3, "tags": ["a"], "dims": ["w": 1.5]]`.
// An integer literal is `.int32` when it fits, else `.int64`.

extension BSON: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BSON: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        if let small = Int32(exactly: value) { self = .int32(small) } else { self = .int64(value) }
    }
}

extension BSON: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension BSON: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension BSON: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: BSON...) { self = .array(elements) }
}

extension BSON: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BSON)...) {
        self = .document(BSONDocument(elements: elements.map { BSONDocument.Element(key: $0.0, value: $0.1) }))
    }
}

extension BSONDocument: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BSON)...) {
        self.init(elements: elements.map { Element(key: $0.0, value: $0.1) })
    }
}
