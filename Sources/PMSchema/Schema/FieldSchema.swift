import PMBSON

/// One declared field, compiled: its type, whether it is required or unique, its default,
/// its value rules, and the schema of its nested fields (`object`) or items (`array`).
/// What depends on the type is done by `kind` (`FieldKind`); the rest is here, once for
/// both paths: the model path (`check`, `inspect`) and the byte path (`write`).
/// Immutable, and kept as long as the configuration that compiled it.
public final class FieldSchema: Sendable {
    public let name: String
    public let type: FieldType
    public let isRequired: Bool
    public let isUnique: Bool
    /// Appended when the field is missing (already normalised to the field's type).
    public let defaultValue: BSON?
    let rules: [any FieldRule]
    /// The same rules for the byte path.
    private let ruleChain: RuleChain
    /// `object` with `fields`; `nil`: any document.
    public let nested: ObjectSchema?
    /// `array` with `items`; `nil`: any items.
    public let items: FieldSchema?
    let kind: any FieldKind
    /// `name` as UTF-8, compared with keys on the byte path.
    let nameBytes: [UInt8]
    /// The default as a whole BSON element (type, key, value), appended on the byte path.
    let defaultElement: [UInt8]?
    private let typeMessage: String

    init(
        name: String, type: FieldType, isRequired: Bool = false, isUnique: Bool = false,
        defaultValue: BSON? = nil, rules: [any FieldRule] = [], nested: ObjectSchema? = nil, items: FieldSchema? = nil
    ) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.isUnique = isUnique
        self.defaultValue = defaultValue
        self.rules = rules
        self.ruleChain = RuleChain.of(rules)
        self.nested = nested
        self.items = items
        self.kind = type.kind
        self.nameBytes = Array(name.utf8)
        self.defaultElement = defaultValue.map { Self.element(name, $0) }
        self.typeMessage = " " + kind.expectation
    }

    private static func element(_ name: String, _ value: BSON) -> [UInt8] {
        var element: [UInt8] = [value.typeCode]
        element.append(contentsOf: name.utf8)
        element.append(0)
        var holder = BSONDocument()
        holder.append("", value)
        let encoded = holder.encoded()  // length (4), type, the empty key's NUL, value, NUL
        element.append(contentsOf: encoded[6..<(encoded.count - 1)])
        return element
    }

    // MARK: Model path

    func requiredViolation(path: String) -> SchemaViolation {
        SchemaViolation(path: path, message: path + " is required")
    }

    /// Checks a present, non-null value, normalising it in place (dates, ObjectIds, integers,
    /// nested defaults). `path` is only built when needed.
    func check(_ value: inout BSON, path: () -> String) -> SchemaViolation? {
        guard kind.normalize(&value) else { return typeViolation(path()) }
        if let violation = ruleViolation(value, path: path) { return violation }
        return kind.checkContent(of: &value, field: self, path: path)
    }

    /// `check` without changing `value`: `.normalize` when it would change it (then `check` it).
    func inspect(_ value: BSON, path: () -> String) -> Inspection {
        switch kind.match(value) {
        case .no: return .violation(typeViolation(path()))
        case .normalize: return .normalize
        case .yes: break
        }
        if let violation = ruleViolation(value, path: path) { return .violation(violation) }
        return kind.inspectContent(of: value, field: self, path: path)
    }

    private func typeViolation(_ place: String) -> SchemaViolation {
        SchemaViolation(path: place, message: place + typeMessage)
    }

    private func ruleViolation(_ value: BSON, path: () -> String) -> SchemaViolation? {
        for index in rules.indices {
            if let message = rules[index].failure(for: value) {
                let place = path()
                return SchemaViolation(path: place, message: place + message)
            }
        }
        return nil
    }

    // MARK: Byte path

    /// Writes `element` (not null) as the model path would store it, or answers `false`.
    @inline(__always)
    func write(_ element: BSONRawElement, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        kind.write(element, field: self, from: source, into: &out)
    }

    /// Whether every rule surely passes on the byte path.
    @inline(__always)
    func rulesAccept(_ value: EncodedValue) -> Bool {
        ruleChain.accepts(value)
    }

    // MARK: Typing and description

    /// A value for this field in an update, read as create reads it: ISO-8601 strings of
    /// dates and hex strings of ObjectIds converted, declared content typed too.
    public func typed(_ value: BSON) -> BSON {
        kind.typed(value, field: self)
    }

    /// The value of a CSV cell for this field (see each type for what it accepts).
    public func value(fromText text: String) throws(TextMismatch) -> BSON {
        try kind.value(fromText: text, field: self)
    }

    /// The field in the words of the configuration, for `GET /_collections`.
    public func describe() -> BSONDocument {
        var out = BSONDocument(["type": .string(type.rawValue)])
        if isRequired { out.append("required", .bool(true)) }
        if isUnique { out.append("unique", .bool(true)) }
        if let defaultValue { out.append("default", defaultValue) }
        for rule in rules { rule.describe(into: &out) }
        kind.describeContent(of: self, into: &out)
        return out
    }

    /// The field as JSON Schema: its type's schema, its rules, its default; `allowsNull`
    /// (a field that is not required, not an array item) adds `null` to `type` and `enum`.
    /// `unique` has no JSON Schema keyword: it is said in `description`.
    func jsonSchema(allowsNull: Bool) -> BSONDocument {
        var schema = kind.jsonSchema(of: self)
        for rule in rules { rule.jsonSchema(into: &schema) }
        if let defaultValue { schema.append("default", defaultValue) }
        if isUnique {
            var description = "unique within the tenant"
            if case .string(let typeSays)? = schema["description"] { description = typeSays + "; " + description }
            schema["description"] = .string(description)
        }
        if allowsNull {
            if case .string(let type)? = schema["type"] { schema["type"] = [.string(type), "null"] }
            if case .array(var members)? = schema["enum"] {
                members.append(.null)
                schema["enum"] = .array(members)
            }
        }
        return schema
    }
}
