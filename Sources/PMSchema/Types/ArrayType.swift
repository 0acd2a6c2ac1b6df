import PMBSON
import PMConfigFiles

/// `type: array`: with `items`, every item is checked against that field schema (a null
/// item fails every type); without, any items with safe keys are accepted (see `AnyValue`).
/// Rules: `min_length`/`max_length` (item counts). In CSV: a JSON array, or items separated
/// by `;` typed by `items`.
struct ArrayType: FieldKind {
    var expectation: String { "must be an array" }
    var textExpectation: String { "a JSON array" }
    var isScalar: Bool { false }
    var ownKeys: [String] { ["items"] }

    func readContent(_ settings: inout FieldSettings, reader: SchemaReader) -> FieldContent {
        guard let itemsNode = settings["items"] else { return FieldContent() }
        let items = reader.readField(settings.name, itemsNode, additionalFields: settings.additionalFields, inItems: true)
        if items == nil { settings.isValid = false }
        return FieldContent(items: items)
    }

    func match(_ value: BSON) -> TypeMatch {
        if case .array = value { return .yes }
        return .no
    }

    func inspectContent(of value: BSON, field: FieldSchema, path: () -> String) -> Inspection {
        guard let items = field.items, case .array(let elements) = value else { return .pass }
        for index in elements.indices {
            let inspection = items.inspect(elements[index], path: { SchemaPath.item(path(), index) })
            if case .pass = inspection { continue }
            return inspection
        }
        return .pass
    }

    func checkContent(of value: inout BSON, field: FieldSchema, path: () -> String) -> SchemaViolation? {
        guard let items = field.items, case .array(var elements) = value else { return nil }
        value = .null  // keep `elements` uniquely referenced while they are changed
        defer { value = .array(elements) }
        let parent = path()
        for index in elements.indices {
            if let violation = items.check(&elements[index], path: { SchemaPath.item(parent, index) }) { return violation }
        }
        return nil
    }

    func write(_ element: BSONRawElement, field: FieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard element.type == BSONTypeCode.array else { return false }
        if !field.rules.isEmpty {
            guard let count = element.itemCount(in: source), field.rulesAccept(.array(count: count)) else { return false }
        }
        guard let items = field.items else { return AnyValue.write(element, from: source, into: &out) }
        guard var cursor = BSONElementCursor(document: element.valueStart, in: source) else { return false }
        element.appendTypeAndKey(BSONTypeCode.array, from: source, into: &out)
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        while let item = cursor.next() {
            guard items.write(item, from: source, into: &out) else { return false }
        }
        if cursor.isMalformed { return false }
        out.append(0)
        out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
        return true
    }

    func typed(_ value: BSON, field: FieldSchema) -> BSON {
        guard let items = field.items, case .array(let elements) = value else { return value }
        return .array(elements.map(items.typed))
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("[") {
            guard case .array(let items)? = try? JSONReader.parseValue(trimmed) else { throw mismatch(text) }
            return .array(items)
        }
        // `a;b;c`: scalar items typed by `items`.
        var items: [BSON] = []
        for part in trimmed.split(separator: ";") {
            let item = String(part).trimmingSpaces
            guard !item.isEmpty else { continue }
            guard let itemField = field.items else {
                items.append(.string(item))
                continue
            }
            guard itemField.kind.isScalar else { throw mismatch(text) }
            items.append(try itemField.value(fromText: item))
        }
        return .array(items)
    }

    func describeContent(of field: FieldSchema, into description: inout BSONDocument) {
        if let items = field.items { description.append("items", .document(items.describe())) }
    }

    /// Items are never null; without `items`, any items.
    func jsonSchema(of field: FieldSchema) -> BSONDocument {
        var schema: BSONDocument = ["type": "array"]
        if let items = field.items { schema.append("items", .document(items.jsonSchema(allowsNull: false))) }
        return schema
    }
}
