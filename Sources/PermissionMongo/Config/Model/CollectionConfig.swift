import PMSchema

/// `collections.<name>:` — one collection the gateway serves.
public struct CollectionConfig: Sendable {
    public var name: String
    public var schema: CollectionSchema
    public var versioning: VersioningSettings
    /// Deletes set `deleted_at` / `deleted_by` instead of removing (`soft_delete`).
    public var softDelete: Bool
    /// Indexes created at start-up besides those of `unique` fields (`indexes`).
    public var indexes: [DeclaredIndex]
    /// Batch updates and deletes that need no stored document are sent to the database as
    /// one `update_many` / `delete_many` (`push_down`; docs/API.md, "Updates pushed down").
    /// `false`: every change reads each document first.
    public var pushDown: Bool

    public init(
        name: String, schema: CollectionSchema, versioning: VersioningSettings = VersioningSettings(), softDelete: Bool = false,
        indexes: [DeclaredIndex] = [], pushDown: Bool = true
    ) {
        self.name = name
        self.schema = schema
        self.versioning = versioning
        self.softDelete = softDelete
        self.indexes = indexes
        self.pushDown = pushDown
    }
}

/// `versioning:` of a collection — what is saved to `_pm_versions`.
public struct VersioningSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The whole previous document.
        case full
        /// The changed fields, from → to.
        case diff
    }

    public var enabled: Bool
    public var mode: Mode
    /// Keep at most this many versions per document; `nil`: no limit.
    public var maxVersions: Int?
    /// Drop versions older than this; `nil`: keep forever.
    public var retentionDays: Int?

    public init(enabled: Bool = false, mode: Mode = .full, maxVersions: Int? = nil, retentionDays: Int? = nil) {
        self.enabled = enabled
        self.mode = mode
        self.maxVersions = maxVersions
        self.retentionDays = retentionDays
    }
}
