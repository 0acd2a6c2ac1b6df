import PMConfigFiles
import PMSchema

/// `collections.<name>:` → `CollectionConfig`.
enum CollectionConfigReader {
    static let keys = ["fields", "additional_fields", "versioning", "soft_delete", "indexes", "push_down"]
    static let versioningKeys = ["enabled", "mode", "max_versions", "retention_days"]

    static func read(_ entry: ConfigSections.Entry) -> CollectionConfig {
        let node = entry.value
        if let problem = CollectionName.problem(with: entry.name) {
            node.report(problem, line: entry.keyLine)
        }
        var additionalFields = AdditionalFields.allow
        var fieldsNode: ConfigNode?
        var versioning = VersioningSettings()
        var softDelete = false
        var pushDown = true
        var indexesNode: ConfigNode?
        let settings = node.isNull ? [] : node.entries(allowed: keys) ?? []
        for setting in settings {
            switch setting.name {
            case "fields": fieldsNode = setting.value
            case "additional_fields": additionalFields = setting.value.oneOf(AdditionalFields.self) ?? additionalFields
            case "versioning": versioning = readVersioning(setting.value)
            case "indexes": indexesNode = setting.value
            case "push_down": pushDown = setting.value.bool() ?? pushDown
            default: softDelete = setting.value.bool() ?? softDelete
            }
        }
        let schema = SchemaReader().collectionSchema(fields: fieldsNode, additionalFields: additionalFields)
        let indexes = indexesNode.map { IndexesReader.read($0, schema: schema) } ?? []
        return CollectionConfig(
            name: entry.name, schema: schema, versioning: versioning, softDelete: softDelete, indexes: indexes,
            pushDown: pushDown)
    }

    private static func readVersioning(_ node: ConfigNode) -> VersioningSettings {
        var versioning = VersioningSettings()
        for setting in node.entries(allowed: versioningKeys) ?? [] {
            let value = setting.value
            switch setting.name {
            case "enabled": versioning.enabled = value.bool() ?? versioning.enabled
            case "mode": versioning.mode = value.oneOf(VersioningSettings.Mode.self) ?? versioning.mode
            case "max_versions": versioning.maxVersions = value.int(atLeast: 1)
            default: versioning.retentionDays = value.int(atLeast: 1)
            }
        }
        return versioning
    }
}
