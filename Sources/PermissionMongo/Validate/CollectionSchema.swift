import PMBSON

/// A collection's compiled `fields:` (contract §2): validates and normalises documents.
public struct CollectionSchema: Sendable {
    public let root: ObjectSchema
    /// Dotted paths of the fields marked `unique`, in declaration order, for the
    /// tenant-scoped partial unique indexes.
    public let uniqueFields: [String]
    /// The same schema for documents already in BSON bytes (`nil`: the schema has
    /// something only the model path handles).
    let encoded: EncodedObjectSchema?

    public init(root: ObjectSchema) {
        self.root = root
        self.uniqueFields = Self.uniquePaths(in: root, parent: "")
        self.encoded = EncodedObjectSchema(root)
    }

    /// No declared fields: anything goes (or nothing, with `.reject`).
    public init(additionalFields: AdditionalFields = .allow) {
        self.init(root: ObjectSchema(fields: [], additionalFields: additionalFields, isTopLevel: true))
    }

    public var additionalFields: AdditionalFields { root.additionalFields }

    /// The first violation, or `nil` when the document is valid. Unsafe field names
    /// anywhere come first; then fields in declaration order, depth first. Normalises
    /// `document` on the way: ISO-8601 strings of `date` fields become dates, hex
    /// strings of `objectid` fields ObjectIds, integral doubles of `integer` fields
    /// integers, and missing fields with a default get it appended.
    public func validate(_ document: inout BSONDocument) -> SchemaViolation? {
        if let violation = FieldNameSafety.firstViolation(in: document) { return violation }
        return root.validate(&document, parent: "")
    }

    /// The declared field at a dotted path (`dims.w`; array items are looked through:
    /// `lines.sku`), or `nil`.
    public func field(at path: String) -> FieldSchema? {
        var schema: ObjectSchema? = root
        var found: FieldSchema?
        for name in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let current = schema, let field = current.field(named: String(name)) else { return nil }
            var inner = field
            while inner.type == .array, let items = inner.items { inner = items }
            found = field
            schema = inner.nested
        }
        return found
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
