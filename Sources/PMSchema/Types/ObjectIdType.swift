import PMBSON

/// `type: objectid`: 24 hex digits in JSON, a BSON ObjectId when stored (see `TextSpelledKind`).
struct ObjectIdType: TextSpelledKind {
    var expectation: String { "must be an ObjectId (24 hex digits)" }
    var textExpectation: String { "an ObjectId (24 hex digits)" }

    func isStored(_ value: BSON) -> Bool {
        if case .objectId = value { return true }
        return false
    }

    func converted(_ text: String) -> BSON? {
        ObjectId(hex: text).map(BSON.objectId)
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

    func jsonSchema(of field: FieldSchema) -> BSONDocument {
        ["type": "string", "pattern": .string(ObjectId.hexPattern)]
    }
}
