import PMBSON

/// The declared fields of a document or nested object, in declaration order.
public struct ObjectSchema: Sendable {
    public let fields: [FieldSchema]
    public let additionalFields: AdditionalFields
    /// The collection's document itself: reserved server fields are let through.
    public let isTopLevel: Bool
    private let declaredNames: Set<String>

    init(fields: [FieldSchema], additionalFields: AdditionalFields, isTopLevel: Bool) {
        self.fields = fields
        self.additionalFields = additionalFields
        self.isTopLevel = isTopLevel
        self.declaredNames = Set(fields.map(\.name))
    }

    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }

    /// Declared fields in order (required, type, rules, nested), then undeclared ones
    /// when they are rejected. Missing fields with a default get it appended.
    func validate(_ document: inout BSONDocument, parent: String) -> SchemaViolation? {
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
            for element in document.elements where !declaredNames.contains(element.key) {
                if isTopLevel && ReservedFields.names.contains(element.key) { continue }
                let path = SchemaPath.child(parent, element.key)
                return SchemaViolation(path: path, message: path + " is not an allowed field")
            }
        }
        return nil
    }
}
