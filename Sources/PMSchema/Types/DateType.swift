import PMBSON

/// `type: date`: an ISO-8601 string in JSON, a BSON date when stored (see `TextSpelledKind`).
struct DateType: TextSpelledKind {
    var expectation: String { "must be a date (ISO-8601)" }
    var textExpectation: String { "an ISO-8601 date" }

    func isStored(_ value: BSON) -> Bool {
        if case .date = value { return true }
        return false
    }

    func converted(_ text: String) -> BSON? {
        BSONDate(iso8601: text).map(BSON.date)
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

    /// Answers always carry `2024-03-01T10:00:00.000Z`; requests may also send a date alone,
    /// a time without seconds or another zone (docs/API.md, "JSON values").
    func jsonSchema(of field: FieldSchema) -> BSONDocument {
        ["type": "string", "format": "date-time", "description": "ISO-8601; a date alone or another zone is read too"]
    }
}
