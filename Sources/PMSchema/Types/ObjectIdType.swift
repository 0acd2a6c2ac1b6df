import PMBSON

/// `type: objectid`: 24 hex digits in JSON, a BSON ObjectId when stored. Update values and
/// filter literals of ObjectId fields are read the same way.
struct ObjectIdType: FieldKind {
    var expectation: String { "must be an ObjectId (24 hex digits)" }
    var textExpectation: String { "an ObjectId (24 hex digits)" }

    func match(_ value: BSON) -> TypeMatch {
        switch value {
        case .objectId: .yes
        case .string: .normalize
        default: .no
        }
    }

    func normalize(_ value: inout BSON) -> Bool {
        switch value {
        case .objectId:
            return true
        case .string(let hex):
            guard let id = ObjectId(hex: hex) else { return false }
            value = .objectId(id)
            return true
        default:
            return false
        }
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.string,
              let id = ObjectId(hexDigits: element.stringBytes(in: source)),
              field.rulesAccept(.scalar(.objectId(id)))
        else { return false }
        element.appendTypeAndKey(BSONTypeCode.objectId, from: source, into: &out)
        out.appendBigEndian(id.high)
        out.appendBigEndian(id.low)
        return true
    }

    func typed(_ value: BSON, field: FieldSchema) -> BSON {
        guard case .string(let hex) = value, let id = ObjectId(hex: hex) else { return value }
        return .objectId(id)
    }

    /// Checked here, sent as the string: the gateway converts it.
    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        let trimmed = text.trimmingSpaces
        guard ObjectId(hex: trimmed) != nil else { throw mismatch(text) }
        return .string(trimmed)
    }
}
