import PMBSON

/// `type: boolean`. In CSV: `true`/`yes`/`1` and `false`/`no`/`0`, in any case.
struct BooleanType: FieldKind {
    var expectation: String { "must be a boolean" }
    var textExpectation: String { "a boolean (true or false)" }

    func match(_ value: BSON) -> TypeMatch {
        if case .bool = value { return .yes }
        return .no
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.bool, field.rulesAccept(.scalar(.bool(source[element.valueStart] != 0))) else {
            return false
        }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "1": return .bool(true)
        case "false", "no", "0": return .bool(false)
        default: throw mismatch(text)
        }
    }

    func jsonSchema(of field: FieldSchema) -> BSONDocument { ["type": "boolean"] }
}
