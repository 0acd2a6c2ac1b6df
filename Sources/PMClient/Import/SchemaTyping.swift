import PMBSON
import PMSchema

/// Turns CSV text into JSON values by the collection's schema: each column's field type
/// says how its text is read. Without a schema every value stays a string. An empty
/// value leaves the field out. A column named `a.b` fills field `b` of object `a`.
public struct SchemaTyping: Sendable {
    /// One CSV column: its header, the field path it fills, and that field's schema.
    public struct Column: Sendable {
        public var name: String
        public var path: [String]
        public var field: FieldSchema?
    }

    /// A value that does not fit its field's type; the row is rejected with this message.
    public struct Mismatch: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public let schema: CollectionSchema?

    public init(schema: CollectionSchema? = nil) {
        self.schema = schema
    }

    /// The columns of a CSV header; an empty, repeated or overlapping name (`dims` and
    /// `dims.w`) makes the file unusable.
    public func columns(for header: [String]) throws(ClientError) -> [Column] {
        var columns: [Column] = []
        var seen: Set<String> = []
        for (position, rawName) in header.enumerated() {
            let name = rawName.trimmingSpaces
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !name.isEmpty, !path.contains(where: \.isEmpty) else {
                throw .input("CSV header: column \(position + 1) has \(name.isEmpty ? "no name" : "an empty part in \"\(name)\"")")
            }
            guard seen.insert(name).inserted else { throw .input("CSV header: column \"\(name)\" appears twice") }
            columns.append(Column(name: name, path: path, field: schema?.field(at: name)))
        }
        for column in columns {
            if let other = columns.first(where: { $0.path.count > column.path.count && Array($0.path.prefix(column.path.count)) == column.path }) {
                throw .input("CSV header: columns \"\(column.name)\" and \"\(other.name)\" both set \"\(column.name)\"")
            }
        }
        return columns
    }

    /// The document of one CSV row (`values` in column order).
    public func document(columns: [Column], values: [String]) throws(Mismatch) -> BSONDocument {
        var document = BSONDocument()
        for (column, text) in zip(columns, values) {
            guard let value = try value(text, field: column.field, column: column.name) else { continue }
            Self.set(value, at: column.path[...], in: &document)
        }
        return document
    }

    /// The JSON value of `text` for `field` (each field type says what it accepts); `nil`
    /// for an empty text (the field is left out).
    public func value(_ text: String, field: FieldSchema?, column: String) throws(Mismatch) -> BSON? {
        guard !text.isEmpty else { return nil }
        guard let field else { return .string(text) }
        do {
            return try field.value(fromText: text)
        } catch {
            throw Mismatch(message: "\(column): \"\(error.text)\" is not \(error.expectation)")
        }
    }

    private static func set(_ value: BSON, at path: ArraySlice<String>, in document: inout BSONDocument) {
        guard let key = path.first else { return }
        if path.count == 1 {
            document[key] = value
            return
        }
        var nested = document.document(key) ?? BSONDocument()
        set(value, at: path.dropFirst(), in: &nested)
        document[key] = .document(nested)
    }
}
