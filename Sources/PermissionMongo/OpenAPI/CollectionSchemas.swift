import PMBSON
import PMSchema

/// The `components.schemas` of one collection, built from its YAML schema and named
/// `<collection>.<Part>` (a collection name has no dot, so they never meet the shared ones):
/// `Document`, and what the caller's actions need of `Page`, `CreateBatch`, `Changes`, `Update`
/// and `UpdateBatch`.
struct CollectionSchemas {
    let collection: CollectionConfig
    let actions: [Action]
    let policy: CollectionPolicy?
    let server: ServerSettings

    enum Part: String {
        case document = "Document"
        case page = "Page"
        case createBatch = "CreateBatch"
        case changes = "Changes"
        case update = "Update"
        case updateBatch = "UpdateBatch"
    }

    static func name(_ collection: String, _ part: Part) -> String {
        collection + "." + part.rawValue
    }

    func ref(_ part: Part) -> BSON {
        JSONSchemaValues.ref(Self.name(collection.name, part))
    }

    private typealias S = JSONSchemaValues

    var components: BSONDocument {
        var schemas: BSONDocument = [Self.name(collection.name, .document): document]
        func add(_ part: Part, _ schema: BSON) { schemas.append(Self.name(collection.name, part), schema) }
        if actions.contains(.read) { add(.page, SharedSchemas.list(ref(.document))) }
        if actions.contains(.create) {
            add(.createBatch, S.object(
                ["documents": S.array(ref(.document), minItems: 1, maxItems: server.maxBatchSize)], required: ["documents"]))
        }
        if actions.contains(.update) {
            add(.changes, changes)
            add(.update, [
                "description": "Fields to set, or update operators (docs/API.md, \"Updates\"); the result must satisfy the schema.",
                "oneOf": [ref(.changes), S.ref(SharedSchemas.updateOperators)],
            ])
            add(.updateBatch, SharedSchemas.byIdsOrFilter(
                ["update": ref(.update)], "The documents to update, by ids or by a filter (not both), and the update."))
        }
        return schemas
    }

    /// A document as clients send and read it; the server's fields are `readOnly`.
    private var document: BSON {
        var schema = collection.schema.documentJSONSchema()
        var said = "A document of \(collection.name). The server sets _id, tenant_id, created_by, created_at, updated_at and updated_by; a client's values for them are dropped. A field that is not required may be null."
        if policy?.hidesFields == true {
            said += " Answers leave out the fields deny_read hides from the caller, required ones too."
        }
        schema.elements.insert(BSONDocument.Element(key: "description", value: .string(said)), at: 1)
        return .document(schema)
    }

    /// A map of fields to set: declared ones typed by the schema, dotted paths and (unless
    /// rejected by the result) undeclared ones too; no `$` keys.
    private var changes: BSON {
        [
            "type": "object",
            "description": "Fields to set, each as on create; dotted paths (dims.w) reach inside objects.",
            "properties": .document(collection.schema.root.jsonSchemaProperties()),
            "propertyNames": ["pattern": "^[^$]"],
            "minProperties": 1,
        ]
    }
}
