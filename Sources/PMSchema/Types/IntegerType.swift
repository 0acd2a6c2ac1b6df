import PMBSON

/// `type: integer`: int32 or int64; an integral double (`3.0`) is stored as an integer.
/// Rules: `min`/`max`, `multiple_of`, `enum`.
struct IntegerType: FieldKind {
    var expectation: String { "must be an integer" }
    var textExpectation: String { "an integer" }

    func match(_ value: BSON) -> TypeMatch {
        switch value {
        case .int32, .int64: .yes
        case .double(let double): IntegralNumber.int64(exactly: double) == nil ? .no : .normalize
        default: .no
        }
    }

    func normalize(_ value: inout BSON) -> Bool {
        guard let integer = IntegralNumber.normalized(value) else { return false }
        value = integer
        return true
    }

    /// Integral doubles are left to the model path, which converts them.
    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.int32 || element.type == BSONTypeCode.int64,
              field.rulesAccept(.scalar(element.number(in: source)))
        else { return false }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        guard let number = CellText.number(text.trimmingSpaces), let integer = CellText.integral(number) else {
            throw mismatch(text)
        }
        return integer
    }

    /// JSON Schema's `integer` also takes `3.0`, as the gateway does.
    func jsonSchema(of field: FieldSchema) -> BSONDocument { ["type": "integer"] }
}
