/// The `type:` of a schema field (docs/API.md, "Field types"). What each type means lives in
/// its own file; `kind` is the one place that names them all.
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

    var kind: any FieldKind {
        switch self {
        case .number: NumberType()
        case .integer: IntegerType()
        case .string: StringType()
        case .boolean: BooleanType()
        case .object: ObjectType()
        case .array: ArrayType()
        case .date: DateType()
        case .objectid: ObjectIdType()
        }
    }

    /// What a violation says about a value of the wrong type: `price must be a number`.
    var expectation: String { kind.expectation }
}
