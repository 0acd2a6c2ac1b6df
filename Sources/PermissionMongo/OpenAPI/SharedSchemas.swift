import PMBSON
import PMSchema

/// The `components.schemas` every collection shares: ids, filters, update operators, the
/// bodies of batch answers, relationships, versions, `GET /_collections` and health.
enum SharedSchemas {
    static let objectId = "ObjectId"
    static let filter = "Filter"
    static let updateOperators = "UpdateOperators"
    static let idList = "IdList"
    static let deleteBatchRequest = "DeleteBatchRequest"
    static let createdId = "CreatedId"
    static let createBatchResult = "CreateBatchResult"
    static let updateBatchResult = "UpdateBatchResult"
    static let deleteBatchResult = "DeleteBatchResult"
    static let relationshipList = "RelationshipList"
    static let versionList = "VersionList"
    static let collectionList = "CollectionList"
    static let health = "Health"

    private typealias S = JSONSchemaValues

    static func components(_ server: ServerSettings) -> BSONDocument {
        var schemas: BSONDocument = [
            objectId: ["type": "string", "pattern": .string(ObjectId.hexPattern), "description": "24 hex digits."],
            filter: S.anyObject(
                "A MongoDB query document limited to field equality on dotted paths, the operators $eq $ne $gt $gte $lt $lte $in $nin $exists $not $all $size $elemMatch $regex $options, and $and $or $nor. Strings compare as dates on date fields and as ObjectIds on objectid fields (docs/API.md, \"Filters\")."),
            updateOperators: updateOperatorsSchema,
            idList: S.array(S.ref(objectId), minItems: 1, maxItems: server.maxBatchSize),
            deleteBatchRequest: byIdsOrFilter([:], "The documents to delete: by ids or by a filter, not both."),
            createdId: S.object(["id": S.ref(objectId)], required: ["id"]),
        ]
        for element in batchResults.elements + described.elements { schemas.append(element.key, element.value) }
        return schemas
    }

    /// `{"ids"}` or `{"filter"}` (exactly one), and `others`.
    static func byIdsOrFilter(_ others: BSONDocument, _ description: String) -> BSON {
        var properties: BSONDocument = ["ids": S.ref(idList), "filter": S.ref(filter)]
        properties.elements += others.elements
        return S.object(
            properties, required: others.keys, description: description,
            more: ["oneOf": [["required": ["ids"]], ["required": ["filter"]]]])
    }

    private static var updateOperatorsSchema: BSON {
        let numbers: BSON = ["type": "object", "additionalProperties": ["type": "number"]]
        let fields = S.anyObject("Field paths and their values.")
        let properties: BSONDocument = [
            "$set": fields, "$unset": fields, "$inc": numbers, "$mul": numbers, "$min": fields, "$max": fields,
            "$push": fields, "$addToSet": fields, "$pull": fields,
        ]
        return S.object(
            properties, description: "Update operators, each at most once (docs/API.md, \"Updates\").",
            more: ["minProperties": 1])
    }

    private static var batchResults: BSONDocument {
        let failures = { (name: String) in S.array(S.ref(name)) }
        let ids = S.array(S.ref(objectId))
        let count = S.integer(minimum: 0)
        return [
            createBatchResult: S.object(
                ["created": S.array(S.ref(objectId)), "failed": failures(ErrorEnvelopeSchemas.createFailure)],
                required: ["created", "failed"],
                description: "`created`: the new ids in request order; `failed`: the failures by request index."),
            updateBatchResult: S.object(
                ["matched": count, "modified": count, "failed": failures(ErrorEnvelopeSchemas.changeFailure),
                 "denied": ids, "missing": ids],
                required: ["matched", "modified", "failed"],
                description: "`denied` and `missing` only with `report_denied=true`."),
            deleteBatchResult: S.object(
                ["matched": count, "deleted": count, "failed": failures(ErrorEnvelopeSchemas.changeFailure),
                 "denied": ids, "missing": ids],
                required: ["matched", "deleted", "failed"],
                description: "`denied` and `missing` only with `report_denied=true`."),
        ]
    }

    /// Relationships, versions, collections and health.
    private static var described: BSONDocument {
        let end = S.object(["collection": S.string(), "id": S.ref(objectId)], required: ["collection", "id"])
        let relationship = S.object(
            ["id": S.ref(objectId), "rel_type": S.string(), "source": end, "target": end, "created_by": S.string(),
             "created_at": S.dateTime],
            required: ["id", "rel_type", "source", "target", "created_by", "created_at"])
        let change = S.object(
            ["field": S.string(), "op": S.oneOf(["set", "add", "unset"]), "from": ["description": "The value before."],
             "to": ["description": "The value after."]],
            required: ["field", "op"])
        let version = S.object(
            ["_id": S.ref(objectId), "collection": S.string(), "doc_id": S.ref(objectId), "tenant_id": S.string(),
             "version": S.integer(minimum: 1), "op": S.oneOf(["update", "delete", "restore"]),
             "mode": S.oneOf(["full", "diff"]), "data": S.anyObject("Mode full: the whole previous document."),
             "changes": S.array(change), "updated_by": S.string(), "updated_at": S.dateTime],
            required: ["_id", "collection", "doc_id", "tenant_id", "version", "op", "mode", "updated_by", "updated_at"],
            description: "A saved previous state, without the fields hidden from the caller.")
        return [
            relationshipList: list(relationship),
            versionList: list(version),
            "FieldDescription": fieldDescription,
            "CollectionDescription": collectionDescription,
            collectionList: list(S.ref("CollectionDescription")),
            health: S.object(["status": S.string()], required: ["status"]),
        ]
    }

    /// `{"data": [item], "count": n}`.
    static func list(_ item: BSON) -> BSON {
        S.object(["data": S.array(item), "count": S.integer(minimum: 0)], required: ["data", "count"])
    }

    private static var collectionDescription: BSON {
        let versioning = S.object(
            ["enabled": S.boolean, "mode": S.oneOf(VersioningSettings.Mode.allCases.map(\.rawValue)),
             "max_versions": S.integer(minimum: 1), "retention_days": S.integer(minimum: 1)],
            required: ["enabled", "mode"])
        let schema = S.object(
            ["additional_fields": S.oneOf(AdditionalFields.allCases.map(\.rawValue)), "fields": fieldMap],
            required: ["additional_fields", "fields"])
        return S.object(
            ["name": S.string(), "actions": S.array(S.oneOf(Action.allCases.map(\.rawValue))), "soft_delete": S.boolean,
             "versioning": versioning, "schema": schema],
            required: ["name", "actions", "soft_delete", "versioning", "schema"],
            description: "A collection the caller may use, with its actions and its schema in the words of the configuration.")
    }

    /// A field in the words of the configuration (`GET /_collections`).
    private static var fieldDescription: BSON {
        let number: BSON = ["type": "number"]
        let length = S.integer(minimum: 0)
        return S.object(
            ["type": S.oneOf(FieldType.allCases.map(\.rawValue)), "required": S.boolean, "unique": S.boolean,
             "default": ["description": "A value of the field."], "min": number, "max": number, "multiple_of": number,
             "min_length": length, "max_length": length, "enum": ["type": "array"], "pattern": S.string(),
             "additional_fields": S.oneOf(AdditionalFields.allCases.map(\.rawValue)), "fields": fieldMap,
             "items": S.ref("FieldDescription")],
            required: ["type"])
    }

    private static var fieldMap: BSON {
        ["type": "object", "additionalProperties": S.ref("FieldDescription")]
    }
}
