/// Top-level fields the server sets (contract §3): no schema rule applies to them,
/// `additional_fields: reject` lets them through, and a schema may not declare them.
public enum ReservedFields {
    public static let names: Set<String> = [
        "_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_by",
    ]

    /// The type the server gives a reserved field, for reading filter values.
    public static func type(of name: String) -> FieldType? {
        switch name {
        case "_id": .objectid
        case "created_at", "updated_at", "deleted_at": .date
        case "tenant_id", "created_by", "updated_by", "deleted_by": .string
        default: nil
        }
    }
}
