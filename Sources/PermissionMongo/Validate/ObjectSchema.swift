import PMBSON

/// The declared fields of a document or nested object, in declaration order.
public struct ObjectSchema: Sendable {
    public let fields: [FieldSchema]
    public let additionalFields: AdditionalFields
    /// The collection's document itself: reserved server fields are let through.
    public let isTopLevel: Bool
    /// `fields`' names, for the one-pass key lookup.
    private let names: [FieldName]
    /// No two declared names are equal (`==`): each key belongs to at most one field,
    /// so the one-pass lookup applies. Otherwise the per-field scan is used.
    private let namesAreDistinct: Bool

    private static let reservedNames: [FieldName] = ReservedFields.names.map(FieldName.init)

    init(fields: [FieldSchema], additionalFields: AdditionalFields, isTopLevel: Bool) {
        self.fields = fields
        self.additionalFields = additionalFields
        self.isTopLevel = isTopLevel
        self.names = fields.map { FieldName($0.name) }
        var distinct = true
        for i in fields.indices {
            for j in fields.indices where j > i && fields[i].name == fields[j].name { distinct = false }
        }
        self.namesAreDistinct = distinct
    }

    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }

    /// Declared fields in order (required, type, rules, nested), then undeclared ones
    /// when they are rejected. Missing fields with a default get it appended.
    func validate(_ document: inout BSONDocument, parent: String) -> SchemaViolation? {
        guard namesAreDistinct else { return validateByScan(&document, parent: parent) }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: Swift.max(fields.count, 1)) { slots in
            // (`document` is only read during this call, so it stays uniquely referenced below.)
            let firstUndeclared = assignSlots(slots, document)
            for index in fields.indices {
                let slot = slots[index]
                if slot < 0 {
                    if fields[index].isRequired {
                        return fields[index].requiredViolation(path: SchemaPath.child(parent, fields[index].name))
                    }
                    if let defaultValue = fields[index].defaultValue { document.append(fields[index].name, defaultValue) }
                    continue
                }
                if case .null = document.elements[slot].value {
                    if fields[index].isRequired {
                        return fields[index].requiredViolation(path: SchemaPath.child(parent, fields[index].name))
                    }
                    continue
                }
                // Read-only first: the document is only written to when a value is normalised.
                switch fields[index].inspect(document.elements[slot].value, path: { SchemaPath.child(parent, fields[index].name) }) {
                case .pass:
                    continue
                case .violation(let violation):
                    return violation
                case .normalize:
                    var value = document.elements[slot].value
                    document.elements[slot].value = .null  // keep `value` uniquely referenced while it is changed
                    let violation = fields[index].check(&value, path: { SchemaPath.child(parent, fields[index].name) })
                    document.elements[slot].value = value
                    if let violation { return violation }
                }
            }
            if firstUndeclared >= 0 { return undeclaredViolation(document.elements[firstUndeclared].key, parent: parent) }
            return nil
        }
    }

    /// `validate` without changing anything: `.normalize` as soon as a value would be
    /// normalised or a default appended (the caller then runs `validate` on it).
    func inspect(_ document: BSONDocument, parent: () -> String) -> Inspection {
        guard namesAreDistinct else { return .normalize }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: Swift.max(fields.count, 1)) { slots in
            let firstUndeclared = assignSlots(slots, document)
            for index in fields.indices {
                let slot = slots[index]
                if slot < 0 {
                    if fields[index].isRequired {
                        return .violation(fields[index].requiredViolation(path: SchemaPath.child(parent(), fields[index].name)))
                    }
                    if fields[index].defaultValue != nil { return .normalize }
                    continue
                }
                if case .null = document.elements[slot].value {
                    if fields[index].isRequired {
                        return .violation(fields[index].requiredViolation(path: SchemaPath.child(parent(), fields[index].name)))
                    }
                    continue
                }
                let inspection = fields[index].inspect(
                    document.elements[slot].value, path: { SchemaPath.child(parent(), fields[index].name) })
                if case .pass = inspection { continue }
                return inspection
            }
            if firstUndeclared >= 0 { return .violation(undeclaredViolation(document.elements[firstUndeclared].key, parent: parent())) }
            return .pass
        }
    }

    /// One pass over the document's keys: `slots[i]` is the index of the first element
    /// named like field `i` (or -1); `firstUndeclared` the first element that
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
            var found = -1
            var candidate = hint
            for _ in 0..<count {
                if names[candidate].matches(key, count: keyCount, keyIsASCII: &keyIsASCII) {
                    found = candidate
                    break
                }
                candidate += 1
                if candidate == count { candidate = 0 }
            }
            if found >= 0 {
                if slots[found] < 0 { slots[found] = elementIndex }
                hint = found + 1 == count ? 0 : found + 1
            } else if rejects && firstUndeclared < 0 {
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

    /// The lookup per declared field, for schemas whose names are not distinct.
    private func validateByScan(_ document: inout BSONDocument, parent: String) -> SchemaViolation? {
        for field in fields {
            guard let index = document.elements.firstIndex(where: { $0.key == field.name }) else {
                if field.isRequired { return field.requiredViolation(path: SchemaPath.child(parent, field.name)) }
                if let defaultValue = field.defaultValue { document.append(field.name, defaultValue) }
                continue
            }
            var value = document.elements[index].value
            if case .null = value {
                if field.isRequired { return field.requiredViolation(path: SchemaPath.child(parent, field.name)) }
                continue
            }
            document.elements[index].value = .null  // keep `value` uniquely referenced while it is changed
            let violation = field.check(&value, path: { SchemaPath.child(parent, field.name) })
            document.elements[index].value = value
            if let violation { return violation }
        }
        if additionalFields == .reject {
            for element in document.elements where !fields.contains(where: { $0.name == element.key }) {
                if isTopLevel && ReservedFields.names.contains(element.key) { continue }
                return undeclaredViolation(element.key, parent: parent)
            }
        }
        return nil
    }
}

/// The outcome of a read-only check.
enum Inspection {
    case pass
    case violation(SchemaViolation)
    /// A value would be normalised (or a default appended): check it again, in place.
    case normalize
}
