/// `collections.<name>.indexes[i]` — an index the gateway creates at start-up
/// (docs/API.md, "Indexes").
public struct DeclaredIndex: Sendable, Equatable {
    public enum Order: Int32, Sendable {
        case ascending = 1
        case descending = -1
    }

    public struct Field: Sendable, Equatable {
        /// Dotted path, as in filters (`dims.w`).
        public var path: String
        public var order: Order

        public init(_ path: String, _ order: Order = .ascending) {
            self.path = path
            self.order = order
        }
    }

    /// In declaration order (`fields:`), without the `tenant_id` that starts the index.
    public var fields: [Field]
    /// `name`, or one derived from the fields (`derivedName`).
    public var name: String
    /// Unique per tenant, over documents that have every field.
    public var unique: Bool
    /// A TTL index on its one date field (`expire_after_seconds`); `nil`: none.
    public var expireAfterSeconds: Int?
    /// Where it is declared, for problems the backend finds at start-up.
    public var file: String?
    public var line: Int?
    /// `collections.<name>.indexes[i]`.
    public var key: String

    public init(
        fields: [Field], name: String? = nil, unique: Bool = false, expireAfterSeconds: Int? = nil,
        file: String? = nil, line: Int? = nil, key: String = ""
    ) {
        self.fields = fields
        self.name = name ?? Self.derivedName(fields)
        self.unique = unique
        self.expireAfterSeconds = expireAfterSeconds
        self.file = file
        self.line = line
        self.key = key
    }

    /// `pm_idx_` and MongoDB's own naming of the declared fields: `pm_idx_category_1_created_at_-1`.
    public static func derivedName(_ fields: [Field]) -> String {
        "pm_idx_" + fields.map { "\($0.path)_\($0.order.rawValue)" }.joined(separator: "_")
    }
}
