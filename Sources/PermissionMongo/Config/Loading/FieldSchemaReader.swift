import PMBSON
/// `fields:` → compiled `FieldSchema`s, reporting every rule that is malformed or
/// does not fit its field's type.
enum FieldSchemaReader {
    static let keys = [
        "type", "required", "unique", "default", "min", "max", "min_length", "max_length",
        "enum", "pattern", "fields", "additional_fields", "items",
    ]

    /// Which rules each type accepts (besides `type`, `required` and `default`).
    static func applies(_ key: String, to type: FieldType) -> Bool {
        switch key {
        case "min", "max": [.number, .integer].contains(type)
        case "min_length", "max_length": [.string, .array].contains(type)
        case "pattern": type == .string
        case "enum", "unique": ![.object, .array].contains(type)
        case "fields", "additional_fields": type == .object
        case "items": type == .array
        default: true
        }
    }

    static func readFields(_ node: ConfigNode, additionalFields: AdditionalFields, topLevel: Bool) -> [FieldSchema] {
        var fields: [FieldSchema] = []
        for entry in node.entries() ?? [] {
            if !FieldNameSafety.isSafe(entry.name) {
                entry.value.report("field name \"\(entry.name)\" is not allowed (empty, starts with $, or contains . or NUL)", line: entry.keyLine)
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

    /// One field; `name` is the parent's name for array items (used in default/enum messages).
    static func readField(_ name: String, _ node: ConfigNode, additionalFields: AdditionalFields, inItems: Bool) -> FieldSchema? {
        if case .scalar = node.node, !node.isNull {  // shorthand: `name: string`
            guard let type = node.oneOf(FieldType.self) else { return nil }
            return FieldSchema(name: name, type: type)
        }
        guard let entries = node.entries(allowed: keys) else { return nil }
        var settings: [String: ConfigNode] = [:]
        for entry in entries { settings[entry.name] = entry.value }
        guard let typeNode = settings["type"] else {
            node.report("type is required (one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        guard let type = typeNode.oneOf(FieldType.self) else { return nil }
        var valid = true
        for entry in entries where !applies(entry.name, to: type) {
            entry.value.report("\(entry.name) does not apply to type \(type.rawValue)", line: entry.keyLine)
            settings[entry.name] = nil
            valid = false
        }
        for key in ["required", "unique", "default"] where inItems && settings[key] != nil {
            settings[key]!.report("\(key) does not apply to array items")
            settings[key] = nil
            valid = false
        }

        let isRequired = settings["required"].map { $0.bool() ?? false } ?? false
        let isUnique = settings["unique"].map { $0.bool() ?? false } ?? false
        var rules: [FieldRule] = []
        let minimum = settings["min"].flatMap { $0.number() }
        let maximum = settings["max"].flatMap { $0.number() }
        if let minimum { rules.append(.minimum(minimum)) }
        if let maximum { rules.append(.maximum(maximum)) }
        if let minimum, let maximum, minimum > maximum { settings["max"]!.report("must not be less than min"); valid = false }
        let minLength = settings["min_length"].flatMap { $0.int(atLeast: 0) }
        let maxLength = settings["max_length"].flatMap { $0.int(atLeast: 0) }
        if let minLength { rules.append(.minLength(minLength, of: type)) }
        if let maxLength { rules.append(.maxLength(maxLength, of: type)) }
        if let minLength, let maxLength, minLength > maxLength {
            settings["max_length"]!.report("must not be less than min_length")
            valid = false
        }
        if let enumNode = settings["enum"] {
            if let rule = readEnum(enumNode, name: name, type: type) { rules.append(rule) } else { valid = false }
        }
        if let patternNode = settings["pattern"], let source = patternNode.string() {
            do {
                rules.append(.pattern(try FieldPattern(source)))
            } catch {
                patternNode.report("invalid regular expression: \(error)")
                valid = false
            }
        }
        var nested: ObjectSchema?
        if let fieldsNode = settings["fields"] {
            let own = settings["additional_fields"].flatMap { $0.oneOf(AdditionalFields.self) } ?? additionalFields
            nested = ObjectSchema(fields: readFields(fieldsNode, additionalFields: own, topLevel: false), additionalFields: own, isTopLevel: false)
        } else if let additionalNode = settings["additional_fields"] {
            additionalNode.report("needs fields: an object without fields accepts any content")
        }
        var items: FieldSchema?
        if let itemsNode = settings["items"] {
            items = readField(name, itemsNode, additionalFields: additionalFields, inItems: true)
            if items == nil { valid = false }
        }

        let field = FieldSchema(name: name, type: type, isRequired: isRequired, isUnique: isUnique, rules: rules, nested: nested, items: items)
        guard let defaultNode = settings["default"] else { return field }
        if isRequired {
            defaultNode.report("default cannot be combined with required: true")
            return field
        }
        guard valid, var value = YAMLLiteral.value(of: defaultNode) else { return field }
        if case .null = value { return field }
        if let violation = field.check(&value, path: { name }) {
            defaultNode.report(violation.message)
            return field
        }
        return FieldSchema(
            name: name, type: type, isRequired: isRequired, isUnique: isUnique,
            defaultValue: value, rules: rules, nested: nested, items: items)
    }

    /// `enum: [...]`: literals of the field's type, normalised like document values.
    private static func readEnum(_ node: ConfigNode, name: String, type: FieldType) -> FieldRule? {
        guard case .sequence(let sequence) = node.node, !sequence.isEmpty else {
            node.report("must be a non-empty list of values")
            return nil
        }
        let typeOnly = FieldSchema(name: name, type: type)
        var values: [BSON] = []
        var shown: [String] = []
        var ok = true
        for (index, element) in sequence.enumerated() {
            let item = node.item(index, element)
            guard var value = YAMLLiteral.value(of: item) else { ok = false; continue }
            if let violation = typeOnly.check(&value, path: { name }) {
                item.report(violation.message)
                ok = false
                continue
            }
            values.append(value)
            shown.append(YAMLLiteral.shown(value, node: item))
        }
        return ok ? .oneOf(values, shown: shown) : nil
    }
}
