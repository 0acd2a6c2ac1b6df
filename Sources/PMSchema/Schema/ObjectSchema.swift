import PMBSON

/// The declared fields of a document or nested object, in declaration order, and what
/// happens to undeclared ones. The model path is here (`validate`, `inspect`); the byte path
/// in `ObjectSchema+Bytes.swift`.
public final class ObjectSchema: Sendable {
    public let fields: [FieldSchema]
    public let additionalFields: AdditionalFields
    /// The collection's document itself: reserved server fields are let through.
    public let isTopLevel: Bool
    /// `fields`' names, for the one-pass key lookup.
    private let names: [FieldName]
    /// No two declared names are equal (`==`): each key belongs to at most one field, so the
    /// key lookup stops at the first match.
    private let namesAreDistinct: Bool
    /// Why documents of this object cannot be checked on BSON bytes; `nil`: they can.
    let bytePathObstacle: String?

    private static let reservedNames: [FieldName] = ReservedFields.names.map(FieldName.init)

    public init(fields: [FieldSchema], additionalFields: AdditionalFields, isTopLevel: Bool) {
        self.fields = fields
        self.additionalFields = additionalFields
        self.isTopLevel = isTopLevel
        self.names = fields.map { FieldName($0.name) }
        var distinct = true
        for i in fields.indices {
            for j in fields.indices where j > i && fields[i].name == fields[j].name { distinct = false }
        }
        self.namesAreDistinct = distinct
        self.bytePathObstacle = Self.bytePathObstacle(fields)
    }

    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }

    /// Declared fields in order (required, type, rules, nested), then undeclared ones when
    /// they are rejected. Missing fields with a default get it appended.
    func validate(_ document: inout BSONDocument, parent: String) -> SchemaViolation? {
        if case .violation(let violation) = walk(&document, parent: { parent }, normalizing: true) { return violation }
        return nil
    }

    /// `validate` without changing anything: `.normalize` as soon as a value would be
    /// normalised or a default appended (the caller then runs `validate` on it).
    func inspect(_ document: BSONDocument, parent: () -> String) -> Inspection {
        var document = document  // not written to: `normalizing` is false
        return walk(&document, parent: parent, normalizing: false)
    }

    /// The one walk of both: read-only first, field by field; where a value would be
    /// normalised or a default appended, it is done in place when `normalizing`, else the
    /// walk stops with `.normalize`. Never `.normalize` when `normalizing`.
    private func walk(_ document: inout BSONDocument, parent: () -> String, normalizing: Bool) -> Inspection {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: Swift.max(fields.count, 1)) { slots in
            // (`document` is only read here, so it stays uniquely referenced below.)
            let firstUndeclared = assignSlots(slots, document)
            for index in fields.indices {
                let field = fields[index]
                let slot = slots[index]
                switch absence(of: field, slot: slot, in: document) {
                case .required?: return .violation(field.requiredViolation(path: SchemaPath.child(parent(), field.name)))
                case .missingWithDefault(let value)?:
                    guard normalizing else { return .normalize }
                    document.append(field.name, value)
                    continue
                case .allowed?: continue
                case nil: break
                }
                switch field.inspect(document.elements[slot].value, path: { SchemaPath.child(parent(), field.name) }) {
                case .pass:
                    continue
                case .violation(let violation):
                    return .violation(violation)
                case .normalize:
                    guard normalizing else { return .normalize }
                    var value = document.elements[slot].value
                    document.elements[slot].value = .null  // keep `value` uniquely referenced while it is changed
                    let violation = field.check(&value, path: { SchemaPath.child(parent(), field.name) })
                    document.elements[slot].value = value
                    if let violation { return .violation(violation) }
                }
            }
            if firstUndeclared >= 0 {
                return .violation(undeclaredViolation(document.elements[firstUndeclared].key, parent: parent()))
            }
            return .pass
        }
    }

    /// What a declared field that is missing (`slot` -1) or null means; `nil` when it has a value.
    private enum Absence {
        case required
        /// Missing, with a default to append (a null value is not missing).
        case missingWithDefault(BSON)
        case allowed
    }

    private func absence(of field: FieldSchema, slot: Int, in document: BSONDocument) -> Absence? {
        guard slot < 0 || document.elements[slot].value.isNull else { return nil }
        if field.isRequired { return .required }
        if slot < 0, let value = field.defaultValue { return .missingWithDefault(value) }
        return .allowed
    }

    /// One pass over the document's keys: `slots[i]` is the index of the first element
    /// named like field `i` (or -1); the answer is the first element that
    /// `additional_fields: reject` refuses (or -1).
    private func assignSlots(_ slots: UnsafeMutableBufferPointer<Int>, _ document: BSONDocument) -> Int {
        let count = names.count
        slots.initialize(repeating: -1)
        let rejects = additionalFields == .reject
        var firstUndeclared = -1
        var hint = 0
        for elementIndex in document.elements.indices {
            let key = document.elements[elementIndex].key
            let keyCount = key.utf8.count
            var keyIsASCII: Bool?
            var found = false
            var candidate = hint
            for _ in 0..<count {
                if names[candidate].matches(key, count: keyCount, keyIsASCII: &keyIsASCII) {
                    if slots[candidate] < 0 { slots[candidate] = elementIndex }
                    if !found { hint = candidate + 1 == count ? 0 : candidate + 1 }
                    found = true
                    // Keys in declaration order cost one comparison each; equal names need them all.
                    if namesAreDistinct { break }
                }
                candidate += 1
                if candidate == count { candidate = 0 }
            }
            if !found && rejects && firstUndeclared < 0 {
                if isTopLevel && Self.isReserved(key, count: keyCount, keyIsASCII: &keyIsASCII) { continue }
                firstUndeclared = elementIndex
            }
        }
        return firstUndeclared
    }

    private static func isReserved(_ key: String, count: Int, keyIsASCII: inout Bool?) -> Bool {
        for name in reservedNames where name.matches(key, count: count, keyIsASCII: &keyIsASCII) { return true }
        return false
    }

    private func undeclaredViolation(_ key: String, parent: String) -> SchemaViolation {
        let path = SchemaPath.child(parent, key)
        return SchemaViolation(path: path, message: path + " is not an allowed field")
    }

    /// The object in the words of the configuration, for `GET /_collections`.
    public func describe() -> BSONDocument {
        var fields = BSONDocument()
        for field in self.fields { fields.append(field.name, .document(field.describe())) }
        return BSONDocument(["additional_fields": .string(additionalFields.rawValue), "fields": .document(fields)])
    }

    /// The object as JSON Schema: its fields as `properties` (null allowed unless required),
    /// the required ones in `required`, and `additionalProperties: false` when undeclared
    /// fields are rejected. `leading` properties come first (the server's fields of a document).
    func jsonSchema(leading: BSONDocument = BSONDocument()) -> BSONDocument {
        var properties = leading
        properties.elements += jsonSchemaProperties().elements
        var schema: BSONDocument = ["type": "object", "properties": .document(properties)]
        let required = fields.filter(\.isRequired).map { BSON.string($0.name) }
        if !required.isEmpty { schema.append("required", .array(required)) }
        if additionalFields == .reject { schema.append("additionalProperties", false) }
        return schema
    }

    /// Each declared field's JSON Schema, by name, in declaration order; none required.
    public func jsonSchemaProperties() -> BSONDocument {
        var properties = BSONDocument()
        for field in fields { properties.append(field.name, .document(field.jsonSchema(allowsNull: !field.isRequired))) }
        return properties
    }
}

/// The outcome of a read-only check.
enum Inspection {
    case pass
    case violation(SchemaViolation)
    /// A value would be normalised (or a default appended): check it again, in place.
    case normalize
}

private extension BSON {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
