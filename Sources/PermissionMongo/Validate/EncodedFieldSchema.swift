import PMBSON

/// A `FieldSchema` compiled for the byte path (`EncodedObjectSchema`): writes one element
/// of its field (or one array item) checked and normalised, or answers `false`.
final class EncodedFieldSchema: Sendable {
    let type: FieldType
    let isRequired: Bool
    let name: [UInt8]
    /// The default as a complete BSON element (type, key, value), ready to append.
    let defaultElement: [UInt8]?
    let nested: EncodedObjectSchema?
    private let items: EncodedFieldSchema?
    private let rules: EncodedRules

    init?(_ field: FieldSchema) {
        guard let rules = EncodedRules(field.rules) else { return nil }
        self.rules = rules
        self.type = field.type
        self.isRequired = field.isRequired
        self.name = Array(field.name.utf8)
        if let value = field.defaultValue {
            var element: [UInt8] = [value.typeCode]
            element.append(contentsOf: name)
            element.append(0)
            var holder = BSONDocument()
            holder.append("", value)
            let encoded = holder.encoded()  // length (4), type, the empty key's NUL, value, NUL
            element.append(contentsOf: encoded[6..<(encoded.count - 1)])
            self.defaultElement = element
        } else {
            self.defaultElement = nil
        }
        if let nested = field.nested {
            guard let compiled = EncodedObjectSchema(nested) else { return nil }
            self.nested = compiled
        } else {
            self.nested = nil
        }
        if let items = field.items {
            guard let compiled = EncodedFieldSchema(items) else { return nil }
            self.items = compiled
        } else {
            self.items = nil
        }
    }

    /// Writes `element` (its type, key and value; the value is not null) as the model path
    /// would store it, or answers `false`.
    func write(_ element: BSONRawElement, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        let type = element.type
        switch self.type {
        case .string:
            guard type == BSONTypeCode.string, rules.stringPasses(Self.stringBytes(element, in: source)) else { return false }
        case .number:
            guard type == BSONTypeCode.double || type == BSONTypeCode.int32 || type == BSONTypeCode.int64,
                  rules.scalarPasses(Self.number(element, in: source))
            else { return false }
        case .integer:
            guard type == BSONTypeCode.int32 || type == BSONTypeCode.int64,
                  rules.scalarPasses(Self.number(element, in: source))
            else { return false }
        case .boolean:
            guard type == BSONTypeCode.bool, rules.scalarPasses(.bool(source[element.valueStart] != 0)) else { return false }
        case .date:
            guard type == BSONTypeCode.string,
                  let date = BSONDate(iso8601UTF8: Self.stringBytes(element, in: source)),
                  rules.scalarPasses(.date(date))
            else { return false }
            Self.appendKey(BSONTypeCode.date, element, from: source, into: &out)
            out.appendLittleEndian(date.millisecondsSince1970)
            return true
        case .objectid:
            guard type == BSONTypeCode.string,
                  let id = ObjectId(hexDigits: Self.stringBytes(element, in: source)),
                  rules.scalarPasses(.objectId(id))
            else { return false }
            Self.appendKey(BSONTypeCode.objectId, element, from: source, into: &out)
            out.appendBigEndian(id.high)
            out.appendBigEndian(id.low)
            return true
        case .object:
            guard type == BSONTypeCode.document, rules.isEmpty else { return false }
            if let nested {
                Self.appendKey(type, element, from: source, into: &out)
                return nested.writeDocument(of: element.valueStart, in: source, into: &out)
            }
            guard EncodedKeys.valueKeysAreSafe(element, in: source) else { return false }
        case .array:
            guard type == BSONTypeCode.array, rules.isEmpty || arrayPasses(element, in: source) else { return false }
            if let items { return writeArray(element, items: items, from: source, into: &out) }
            guard EncodedKeys.valueKeysAreSafe(element, in: source) else { return false }
        }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    private func writeArray(
        _ element: BSONRawElement, items: EncodedFieldSchema, from source: UnsafeRawBufferPointer, into out: inout [UInt8]
    ) -> Bool {
        guard var cursor = BSONElementCursor(document: element.valueStart, in: source) else { return false }
        Self.appendKey(BSONTypeCode.array, element, from: source, into: &out)
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        while let item = cursor.next() {
            // A null item is checked like any other value (and fails every type).
            guard items.write(item, from: source, into: &out) else { return false }
        }
        if cursor.isMalformed { return false }
        out.append(0)
        out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
        return true
    }

    // MARK: Rules

    private func arrayPasses(_ element: BSONRawElement, in source: UnsafeRawBufferPointer) -> Bool {
        guard var cursor = BSONElementCursor(document: element.valueStart, in: source) else { return false }
        var count = 0
        while cursor.next() != nil { count += 1 }
        return !cursor.isMalformed && rules.arrayPasses(count: count)
    }

    // MARK: Bytes

    private static func stringBytes(_ element: BSONRawElement, in source: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: source[(element.valueStart + 4)..<(element.valueEnd - 1)])
    }

    private static func number(_ element: BSONRawElement, in source: UnsafeRawBufferPointer) -> BSON {
        switch element.type {
        case BSONTypeCode.int32:
            .int32(Int32(littleEndian: source.loadUnaligned(fromByteOffset: element.valueStart, as: Int32.self)))
        case BSONTypeCode.int64:
            .int64(Int64(littleEndian: source.loadUnaligned(fromByteOffset: element.valueStart, as: Int64.self)))
        default:
            .double(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: element.valueStart, as: UInt64.self))))
        }
    }

    /// The element's type byte as given, then its key from the source.
    private static func appendKey(_ type: UInt8, _ element: BSONRawElement, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(type)
        out.append(source, element.keyStart..<(element.keyEnd + 1))  // the key and its NUL
    }
}
