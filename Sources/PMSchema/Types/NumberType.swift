import PMBSON

/// `type: number`: int32, int64 or double, stored as sent. Rules: `min`/`max`, `multiple_of`, `enum`.
struct NumberType: FieldKind {
    var expectation: String { "must be a number" }
    var textExpectation: String { "a number" }

    func match(_ value: BSON) -> TypeMatch {
        switch value {
        case .double, .int32, .int64: .yes
        default: .no
        }
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        let type = element.type
        guard type == BSONTypeCode.double || type == BSONTypeCode.int32 || type == BSONTypeCode.int64,
              field.rulesAccept(.scalar(element.number(in: source)))
        else { return false }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        guard let number = CellText.number(text.trimmingSpaces) else { throw mismatch(text) }
        return number
    }

    func jsonSchema(of field: FieldSchema) -> BSONDocument { ["type": "number"] }
}
