/// Top-level fields the server sets (docs/API.md, "Authentication and tenancy"): no schema
/// rule applies to them, `additional_fields: reject` lets them through, and a schema may
/// not declare them.
public enum ReservedFields {
    public static let names = Set(ordered)

    /// In the order a created document stores them, the soft-delete marks last.
    public static let ordered = [
        "_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_by",
    ]

    /// The field as the server stores it, for reading filter values.
    public static func field(named name: String) -> FieldSchema? {
        fields[name]
    }

    private static let fields: [String: FieldSchema] = {
        var fields = ["_id": FieldSchema(name: "_id", type: .objectid)]
        for name in ["created_at", "updated_at", "deleted_at"] { fields[name] = FieldSchema(name: name, type: .date) }
        for name in ["tenant_id", "created_by", "updated_by", "deleted_by"] { fields[name] = FieldSchema(name: name, type: .string) }
        return fields
    }()
}
