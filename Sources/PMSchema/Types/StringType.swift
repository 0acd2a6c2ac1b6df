import PMBSON

/// `type: string`. Rules: `min_length`/`max_length` (Unicode scalars), `enum`, `pattern`.
struct StringType: FieldKind {
    var expectation: String { "must be a string" }
    var textExpectation: String { "a string" }

    func match(_ value: BSON) -> TypeMatch {
        if case .string = value { return .yes }
        return .no
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.string, field.rulesAccept(.string(element.stringBytes(in: source))) else {
            return false
        }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    /// The cell as it is, spaces included.
    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON { .string(text) }

    func jsonSchema(of field: FieldSchema) -> BSONDocument { ["type": "string"] }
}
