import PMBSON
import PMConfigFiles

/// `fields:` → compiled `FieldSchema`s, reporting every rule that is malformed or does not
/// fit its field's type. The common keys are read here; each type reads its own
/// (`FieldKind.readContent`) and each rule its own (`FieldRule.read`).
public struct SchemaReader {
    static let commonKeys = ["type", "required", "unique", "default"]
    /// Every key a field may have, for the unknown-key message.
    static let allKeys = commonKeys + FieldRules.keys + FieldType.allCases.flatMap { $0.kind.ownKeys }.uniqued()

    public init() {}

    /// A collection's schema from its `fields:` node (absent: no declared fields).
    package func collectionSchema(fields node: ConfigNode?, additionalFields: AdditionalFields) -> CollectionSchema {
        let fields = node.map { readFields($0, additionalFields: additionalFields, topLevel: true) } ?? []
        return CollectionSchema(root: ObjectSchema(fields: fields, additionalFields: additionalFields, isTopLevel: true))
    }

    /// A collection's schema from its whole node (`collections.<name>`): its `fields` and
    /// `additional_fields`. Other keys are left to whoever reads the rest of the collection.
    package func collectionSchema(collection node: ConfigNode) -> CollectionSchema {
        var fields: ConfigNode?
        var additionalFields = AdditionalFields.allow
        for setting in node.isNull ? [] : node.entries() ?? [] {
            switch setting.name {
            case "fields": fields = setting.value
            case "additional_fields": additionalFields = setting.value.oneOf(AdditionalFields.self) ?? additionalFields
            default: continue
            }
        }
        return collectionSchema(fields: fields, additionalFields: additionalFields)
    }

    func readFields(_ node: ConfigNode, additionalFields: AdditionalFields, topLevel: Bool) -> [FieldSchema] {
        var fields: [FieldSchema] = []
        for entry in node.entries() ?? [] {
            if !FieldNameSafety.isSafe(entry.name) {
                entry.value.report(
                    "field name \"\(entry.name)\" is not allowed (empty, starts with $, or contains . or NUL)", line: entry.keyLine)
                continue
            }
            if topLevel && ReservedFields.names.contains(entry.name) {
                entry.value.report("\(entry.name) is set by the server and cannot be declared", line: entry.keyLine)
                continue
            }
            if let field = readField(entry.name, entry.value, additionalFields: additionalFields, inItems: false) {
                fields.append(field)
            }
        }
        return fields
    }

    /// One field; `name` is the parent's name for array items (used in default and enum messages).
    func readField(_ name: String, _ node: ConfigNode, additionalFields: AdditionalFields, inItems: Bool) -> FieldSchema? {
        if case .scalar = node.node, !node.isNull {  // shorthand: `name: string`
            guard let type = node.oneOf(FieldType.self) else { return nil }
            return FieldSchema(name: name, type: type)
        }
        guard let entries = node.entries(allowed: Self.allKeys) else { return nil }
        var byKey: [String: ConfigNode] = [:]
        for entry in entries { byKey[entry.name] = entry.value }
        guard let typeNode = byKey["type"] else {
            node.report("type is required (one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        guard let type = typeNode.oneOf(FieldType.self) else { return nil }
        let kind = type.kind
        var settings = FieldSettings(byKey, name: name, type: type, additionalFields: additionalFields)
        for entry in entries where !Self.applies(entry.name, to: type, kind: kind) {
            entry.value.report("\(entry.name) does not apply to type \(type.rawValue)", line: entry.keyLine)
            settings[entry.name] = nil
            settings.isValid = false
        }
        for key in ["required", "unique", "default"] where inItems && settings[key] != nil {
            settings[key]?.report("\(key) does not apply to array items")
            settings[key] = nil
            settings.isValid = false
        }

        let isRequired = settings["required"].map { $0.bool() ?? false } ?? false
        let isUnique = settings["unique"].map { $0.bool() ?? false } ?? false
        let rules = FieldRules.read(&settings)
        let content = kind.readContent(&settings, reader: self)
        let field = FieldSchema(
            name: name, type: type, isRequired: isRequired, isUnique: isUnique, rules: rules,
            nested: content.nested, items: content.items)
        guard let defaultNode = settings["default"] else { return field }
        if isRequired {
            defaultNode.report("default cannot be combined with required: true")
            return field
        }
        guard settings.isValid, var value = YAMLLiteral.value(of: defaultNode) else { return field }
        if case .null = value { return field }
        if let violation = field.check(&value, path: { name }) {
            defaultNode.report(violation.message)
            return field
        }
        return FieldSchema(
            name: name, type: type, isRequired: isRequired, isUnique: isUnique, defaultValue: value, rules: rules,
            nested: content.nested, items: content.items)
    }

    /// Whether a key may be set on a field of `type`: the common keys (`unique` only on
    /// scalar types), the rules that apply to it, and the type's own keys.
    static func applies(_ key: String, to type: FieldType, kind: any FieldKind) -> Bool {
        if key == "unique" { return kind.isScalar }
        if commonKeys.contains(key) { return true }
        if let rule = FieldRules.owner(of: key) { return rule.applies(to: type) }
        return kind.ownKeys.contains(key)
    }
}

private extension Array where Element: Equatable {
    func uniqued() -> [Element] {
        var out: [Element] = []
        for element in self where !out.contains(element) { out.append(element) }
        return out
    }
}
