import PMBSON
import PMConfigFiles

/// Everything one field type means, in one file per type (`StringType.swift`, …, and
/// `AnyValue.swift` for content no schema declares): how its YAML is read, how a client
/// value is checked and normalised on the model path or written from BSON bytes on the byte
/// path, how values for updates, filters and CSV columns are typed, and how the type
/// describes itself, in the words of the configuration and as JSON Schema. `FieldType.kind` picks the implementation; `FieldSchema` applies the
/// parts every type shares (required, default, rules).
protocol FieldKind: Sendable {
    /// The end of a type violation: `price must be a number`.
    var expectation: String { get }
    /// What a CSV cell of this type must be: `"x" is not a number`.
    var textExpectation: String { get }
    /// Whether `unique` applies (values that can be indexed and compared as a whole).
    var isScalar: Bool { get }

    /// YAML keys of the type's own beside the common ones and the rules': `fields`, `items`.
    var ownKeys: [String] { get }
    /// Reads those keys into the field's nested schema or items.
    func readContent(_ settings: inout FieldSettings, reader: SchemaReader) -> FieldContent

    /// Whether `value` is of this type as it is, must be converted first (an ISO-8601 string
    /// of a date), or is not. Read-only: `normalize` does the conversion.
    func match(_ value: BSON) -> TypeMatch
    /// Converts a JSON spelling to the stored type; `false` when `value` is not of this type.
    func normalize(_ value: inout BSON) -> Bool
    /// The model path inside a value already of this type (object fields, array items).
    func inspectContent(of value: BSON, field: FieldSchema, path: () -> String) -> Inspection
    func checkContent(of value: inout BSON, field: FieldSchema, path: () -> String) -> SchemaViolation?

    /// The byte path: appends `element` (not null; its type, key and value) as the model path
    /// would store it, or answers `false` so that the model path decides.
    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool

    /// A value for this field in an update, read as create reads it (strings of dates and
    /// ObjectIds converted, declared content typed too); anything else is left as it is.
    func typed(_ value: BSON, field: FieldSchema) -> BSON
    /// The value of a CSV cell, spaces around it ignored (but strings are kept as they are).
    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON

    /// Adds the type's own part of `GET /_collections`' description (`fields`, `items`).
    func describeContent(of field: FieldSchema, into description: inout BSONDocument)

    /// The type as JSON Schema (2020-12, as OpenAPI 3.1 uses it), as a JSON client sends and
    /// reads its values: `type`, and what the type itself says (`format`, `pattern`, an
    /// object's `properties`, an array's `items`). Rules, default and null are added by `FieldSchema`.
    func jsonSchema(of field: FieldSchema) -> BSONDocument
}

/// What `FieldKind.match` found.
enum TypeMatch {
    case yes, no, normalize
}

/// The nested schema of an `object` field or the items of an `array` field.
struct FieldContent {
    var nested: ObjectSchema?
    var items: FieldSchema?
}

extension FieldKind {
    var isScalar: Bool { true }
    var ownKeys: [String] { [] }
    func readContent(_ settings: inout FieldSettings, reader: SchemaReader) -> FieldContent { FieldContent() }

    func normalize(_ value: inout BSON) -> Bool {
        if case .yes = match(value) { return true }
        return false
    }

    func inspectContent(of value: BSON, field: FieldSchema, path: () -> String) -> Inspection { .pass }
    func checkContent(of value: inout BSON, field: FieldSchema, path: () -> String) -> SchemaViolation? { nil }
    func typed(_ value: BSON, field: FieldSchema) -> BSON { value }
    func describeContent(of field: FieldSchema, into description: inout BSONDocument) {}

    func mismatch(_ text: String) -> TextMismatch {
        TextMismatch(text: text, expectation: textExpectation)
    }
}
