/// The `type:` of a schema field (contract §2).
public enum FieldType: String, Sendable, CaseIterable {
    /// int32, int64 or double.
    case number
    /// int32 or int64; integral doubles are converted.
    case integer
    case string
    case boolean
    /// A nested document, checked against its own `fields` when it has some.
    case object
    /// Every item checked against `items` when given.
    case array
    /// ISO-8601 string in JSON, converted to a BSON date.
    case date
    /// 24 hex digits in JSON, converted to a BSON ObjectId.
    case objectid

    /// What a violation says about a value of the wrong type: `price must be a number`.
    var expectation: String {
        switch self {
        case .number: "must be a number"
        case .integer: "must be an integer"
        case .string: "must be a string"
        case .boolean: "must be a boolean"
        case .object: "must be an object"
        case .array: "must be an array"
        case .date: "must be a date (ISO-8601)"
        case .objectid: "must be an ObjectId (24 hex digits)"
        }
    }
}
