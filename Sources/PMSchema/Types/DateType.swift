import PMBSON

/// `type: date`: an ISO-8601 string in JSON, a BSON date when stored. Update values and
/// filter literals of date fields are read the same way.
struct DateType: FieldKind {
    var expectation: String { "must be a date (ISO-8601)" }
    var textExpectation: String { "an ISO-8601 date" }

    func match(_ value: BSON) -> TypeMatch {
        switch value {
        case .date: .yes
        case .string: .normalize
        default: .no
        }
    }

    func normalize(_ value: inout BSON) -> Bool {
        switch value {
        case .date:
            return true
        case .string(let text):
            guard let date = BSONDate(iso8601: text) else { return false }
            value = .date(date)
            return true
        default:
            return false
        }
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.string,
              let date = BSONDate(iso8601UTF8: element.stringBytes(in: source)),
              field.rulesAccept(.scalar(.date(date)))
        else { return false }
        element.appendTypeAndKey(BSONTypeCode.date, from: source, into: &out)
        out.appendLittleEndian(date.millisecondsSince1970)
        return true
    }

    func typed(_ value: BSON, field: FieldSchema) -> BSON {
        guard case .string(let text) = value, let date = BSONDate(iso8601: text) else { return value }
        return .date(date)
    }

    /// Checked here, sent as the string: the gateway converts it.
    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        let trimmed = text.trimmingSpaces
        guard BSONDate(iso8601: trimmed) != nil else { throw mismatch(text) }
        return .string(trimmed)
    }
}
