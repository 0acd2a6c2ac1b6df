import PMBSON

/// One declared field, compiled: its type, whether it is required or unique, its
/// default and its value rules, plus the schema of its nested fields or items.
public struct FieldSchema: Sendable {
    public let name: String
    public let type: FieldType
    public let isRequired: Bool
    public let isUnique: Bool
    /// Appended when the field is missing (already normalised to the field's type).
    public let defaultValue: BSON?
    let rules: [FieldRule]
    /// `object` with `fields`; `nil`: any document.
    public let nested: ObjectSchema?
    private let itemsBox: Box?

    /// `array` with `items`; `nil`: any items.
    public var items: FieldSchema? { itemsBox?.schema }

    private final class Box: Sendable {
        let schema: FieldSchema
        init(_ schema: FieldSchema) { self.schema = schema }
    }

    private let typeMessage: String
    private let requiredMessage = " is required"

    init(
        name: String, type: FieldType, isRequired: Bool = false, isUnique: Bool = false,
        defaultValue: BSON? = nil, rules: [FieldRule] = [], nested: ObjectSchema? = nil, items: FieldSchema? = nil
    ) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.isUnique = isUnique
        self.defaultValue = defaultValue
        self.rules = rules
        self.nested = nested
        self.itemsBox = items.map(Box.init)
        self.typeMessage = " " + type.expectation
    }

    func requiredViolation(path: String) -> SchemaViolation {
        SchemaViolation(path: path, message: path + requiredMessage)
    }

    /// Checks a present, non-null value, normalising it in place (dates, ObjectIds, integers,
    /// nested defaults). `path` is only built when needed.
    func check(_ value: inout BSON, path: () -> String) -> SchemaViolation? {
        guard normalizeType(&value) else {
            let place = path()
            return SchemaViolation(path: place, message: place + typeMessage)
        }
        if let violation = ruleViolation(value, path: path) { return violation }
        if let nested, case .document(var document) = value {
            value = .null  // keep `document` uniquely referenced while it is changed
            let violation = nested.validate(&document, parent: path())
            value = .document(document)
            return violation
        }
        if let items, case .array(var elements) = value {
            value = .null
            defer { value = .array(elements) }
            let parent = path()
            for index in elements.indices {
                if let violation = items.check(&elements[index], path: { SchemaPath.item(parent, index) }) {
                    return violation
                }
            }
        }
        return nil
    }

    /// `check` without changing `value`: `.normalize` when it would change it (then `check` it).
    func inspect(_ value: BSON, path: () -> String) -> Inspection {
        switch typeMatch(value) {
        case .no:
            let place = path()
            return .violation(SchemaViolation(path: place, message: place + typeMessage))
        case .normalize:
            return .normalize
        case .yes:
            break
        }
        if let violation = ruleViolation(value, path: path) { return .violation(violation) }
        // (`nested` and `itemsBox` are used in place: no copy of the schema structs.)
        if nested != nil, case .document(let document) = value {
            return nested.unsafelyUnwrapped.inspect(document, parent: path)
        }
        if let itemsBox, case .array(let elements) = value {
            for index in elements.indices {
                let inspection = itemsBox.schema.inspect(elements[index], path: { SchemaPath.item(path(), index) })
                if case .pass = inspection { continue }
                return inspection
            }
        }
        return .pass
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

    private enum TypeMatch { case yes, no, normalize }

    /// `normalizeType` without changing `value`: `.normalize` when it would (or might) change it.
    private func typeMatch(_ value: BSON) -> TypeMatch {
        switch (type, value) {
        case (.string, .string), (.boolean, .bool), (.object, .document), (.array, .array),
             (.date, .date), (.objectid, .objectId),
             (.number, .double), (.number, .int32), (.number, .int64),
             (.integer, .int32), (.integer, .int64):
            return .yes
        case (.integer, .double(let double)):
            return IntegralNumber.int64(exactly: double) == nil ? .no : .normalize
        case (.date, .string), (.objectid, .string):
            return .normalize
        default:
            return .no
        }
    }

    /// Whether `value` is of the field's type, converting JSON spellings to the BSON type.
    private func normalizeType(_ value: inout BSON) -> Bool {
        switch (type, value) {
        case (.string, .string), (.boolean, .bool), (.object, .document), (.array, .array),
             (.date, .date), (.objectid, .objectId),
             (.number, .double), (.number, .int32), (.number, .int64):
            return true
        case (.integer, _):
            guard let integer = IntegralNumber.normalized(value) else { return false }
            value = integer
            return true
        case (.date, .string(let text)):
            guard let date = BSONDate(iso8601: text) else { return false }
            value = .date(date)
            return true
        case (.objectid, .string(let hex)):
            guard let id = ObjectId(hex: hex) else { return false }
            value = .objectId(id)
            return true
        default:
            return false
        }
    }
}
