import PMBSON
import PMConfigFiles

/// `type: object`: a nested document. With `fields` its content is checked like a
/// document's (`additional_fields` inherited from the parent unless set); without, any
/// content with safe keys is accepted (see `AnyValue`).
struct ObjectType: FieldKind {
    var expectation: String { "must be an object" }
    var textExpectation: String { "a JSON object" }
    var isScalar: Bool { false }
    var ownKeys: [String] { ["fields", "additional_fields"] }

    func readContent(_ settings: inout FieldSettings, reader: SchemaReader) -> FieldContent {
        guard let fieldsNode = settings["fields"] else {
            settings["additional_fields"]?.report("needs fields: an object without fields accepts any content")
            return FieldContent()
        }
        let own = settings["additional_fields"].flatMap { $0.oneOf(AdditionalFields.self) } ?? settings.additionalFields
        let fields = reader.readFields(fieldsNode, additionalFields: own, topLevel: false)
        return FieldContent(nested: ObjectSchema(fields: fields, additionalFields: own, isTopLevel: false))
    }

    func match(_ value: BSON) -> TypeMatch {
        if case .document = value { return .yes }
        return .no
    }

    func inspectContent(of value: BSON, field: FieldSchema, path: () -> String) -> Inspection {
        guard let nested = field.nested, case .document(let document) = value else { return .pass }
        return nested.inspect(document, parent: path)
    }

    func checkContent(of value: inout BSON, field: FieldSchema, path: () -> String) -> SchemaViolation? {
        guard let nested = field.nested, case .document(var document) = value else { return nil }
        value = .null  // keep `document` uniquely referenced while it is changed
        let violation = nested.validate(&document, parent: path())
        value = .document(document)
        return violation
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.document, field.rules.isEmpty else { return false }
        guard let nested = field.nested else { return AnyValue.write(element, from: source, into: &out) }
        element.appendTypeAndKey(BSONTypeCode.document, from: source, into: &out)
        return nested.writeDocument(of: element.valueStart, in: source, into: &out)
    }

    /// Declared fields typed by their own types; undeclared ones left as they are.
    func typed(_ value: BSON, field: FieldSchema) -> BSON {
        guard let nested = field.nested, case .document(var document) = value else { return value }
        for index in document.elements.indices {
            if let child = nested.field(named: document.elements[index].key) {
                document.elements[index].value = child.typed(document.elements[index].value)
            }
        }
        return .document(document)
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        guard let document = try? JSONReader.parseDocument(text.trimmingSpaces) else { throw mismatch(text) }
        return .document(document)
    }

    func describeContent(of field: FieldSchema, into description: inout BSONDocument) {
        guard let nested = field.nested else { return }
        for element in nested.describe().elements { description.append(element.key, element.value) }
    }

    /// Without `fields`, any object.
    func jsonSchema(of field: FieldSchema) -> BSONDocument {
        field.nested?.jsonSchema() ?? ["type": "object"]
    }
}
