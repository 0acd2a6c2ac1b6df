import PMSchema

/// `collections.<name>:` — one collection the gateway serves.
public struct CollectionConfig: Sendable {
    public var name: String
    public var schema: CollectionSchema
    public var versioning: VersioningSettings
    /// Deletes set `deleted_at` / `deleted_by` instead of removing (`soft_delete`).
    public var softDelete: Bool

    public init(name: String, schema: CollectionSchema, versioning: VersioningSettings = VersioningSettings(), softDelete: Bool = false) {
        self.name = name
        self.schema = schema
        self.versioning = versioning
        self.softDelete = softDelete
    }
}
