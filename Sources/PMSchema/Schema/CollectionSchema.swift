import PMBSON

/// A collection's compiled `fields:` (docs/API.md, "Schemas"): validates and normalises
/// documents, on the model path (`validate`) or the byte path (`writeElements`), and finds
/// the declared field at a path for typing update values, filter literals and CSV columns.
public struct CollectionSchema: Sendable {
    public let root: ObjectSchema
    /// Dotted paths of the fields marked `unique`, in declaration order, for the
    /// tenant-scoped partial unique indexes.
    public let uniqueFields: [String]
    /// Whether documents can be checked and stored from BSON bytes, decided once, here.
    public let bytePath: BytePath

    public enum BytePath: Sendable, Equatable {
        case available
        /// Every document takes the model path, for this reason.
        case unavailable(reason: String)
    }

    public init(root: ObjectSchema) {
        self.root = root
        self.uniqueFields = Self.uniquePaths(in: root, parent: "")
        self.bytePath = root.bytePathObstacle.map { .unavailable(reason: $0) } ?? .available
    }

    /// No declared fields: anything goes (or nothing, with `.reject`).
    public init(additionalFields: AdditionalFields = .allow) {
        self.init(root: ObjectSchema(fields: [], additionalFields: additionalFields, isTopLevel: true))
    }

    public var additionalFields: AdditionalFields { root.additionalFields }

    /// A document of the collection as JSON Schema, as clients send and read it: the server's
    /// fields first, `readOnly` (a client's values for them are dropped), then the declared ones.
    public func documentJSONSchema() -> BSONDocument {
        var server = BSONDocument()
        for name in ReservedFields.ordered {
            guard let field = ReservedFields.field(named: name) else { continue }
            var schema = field.jsonSchema(allowsNull: false)
            schema.append("readOnly", true)
            server.append(name, .document(schema))
        }
        return root.jsonSchema(leading: server)
    }

    /// The first violation, or `nil` when the document is valid. Unsafe field names
    /// anywhere come first; then fields in declaration order, depth first. Normalises
    /// `document` on the way: ISO-8601 strings of `date` fields become dates, hex
    /// strings of `objectid` fields ObjectIds, integral doubles of `integer` fields
    /// integers, and missing fields with a default get it appended.
    public func validate(_ document: inout BSONDocument) -> SchemaViolation? {
        if let violation = FieldNameSafety.firstViolation(in: document) { return violation }
        return root.validate(&document, parent: "")
    }

    /// The byte path for a whole document's client fields (`ObjectSchema+Bytes.swift`):
    /// appends the elements of the document at `offset` in `source`, checked, normalised
    /// and with defaults; `false` when it does not accept them (the model path then decides).
    /// Only when `bytePath` is `.available`.
    public func writeElements(of offset: Int, in source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        root.writeElements(of: offset, in: source, into: &out)
    }

    /// How a path meets an `array` field.
    public enum ArrayStep: Sendable {
        /// A name looks into the items' fields (`lines.sku`): filters and CSV columns.
        case throughItems
        /// A numeric component selects the items (`lines.0.sku`): update paths.
        case byIndex
    }

    /// The declared field at a dotted path (`dims.w`, `lines.sku`), or `nil`.
    public func field(at path: String) -> FieldSchema? {
        field(at: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init), arrays: .throughItems)
    }

    /// The declared field at `components`, or `nil`.
    public func field(at components: [String], arrays: ArrayStep) -> FieldSchema? {
        guard let first = components.first, let start = root.field(named: first) else { return nil }
        return start.descend(components.dropFirst(), arrays: arrays)
    }

    private static func uniquePaths(in schema: ObjectSchema, parent: String) -> [String] {
        schema.fields.flatMap { field -> [String] in
            let path = SchemaPath.child(parent, field.name)
            var paths = field.isUnique ? [path] : []
            if let nested = field.nested { paths += uniquePaths(in: nested, parent: path) }
            return paths
        }
    }
}

extension FieldSchema {
    /// The declared field at `components` below this one (itself for none), or `nil`.
    public func descend(_ components: some Sequence<String>, arrays: CollectionSchema.ArrayStep) -> FieldSchema? {
        var current = self
        for component in components {
            switch arrays {
            case .byIndex:
                if current.type == .array, BSONDocument.arrayIndex(component) != nil {
                    guard let items = current.items else { return nil }
                    current = items
                    continue
                }
            case .throughItems:
                while current.type == .array, let items = current.items { current = items }
            }
            guard let next = current.nested?.field(named: component) else { return nil }
            current = next
        }
        return current
    }

    /// The field its values are made of: the items of an array (of arrays…), else itself.
    public var innermostItems: FieldSchema {
        var current = self
        while current.type == .array, let items = current.items { current = items }
        return current
    }
}
