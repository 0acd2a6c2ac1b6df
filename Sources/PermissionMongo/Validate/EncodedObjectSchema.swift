import PMBSON

/// An `ObjectSchema` compiled for documents that are already BSON bytes (the request body
/// transcoded by `JSONReader.transcodeDocument`): it copies a document's elements to the
/// output, normalising and appending defaults as `ObjectSchema.validate` does, without
/// building the value model.
///
/// It only ever *accepts*: whenever a document breaks a rule, or needs something it does
/// not do (a key that is not ASCII, a reserved or unsafe key, an integral double for an
/// `integer`, an `enum` or `pattern` it cannot decide on bytes), it answers `false` and
/// the caller runs the model path, which gives the exact violation. When it accepts, the
/// bytes written are those the model path encodes for the same document.
final class EncodedObjectSchema: Sendable {
    private let fields: [EncodedFieldSchema]
    let rejectsUndeclared: Bool
    let isTopLevel: Bool

    private static let reservedNames: [[UInt8]] = ReservedFields.names.map { Array($0.utf8) }

    /// `nil` when the schema has what the byte path does not handle: more than 64 fields
    /// in one object, names that are not distinct or not ASCII.
    init?(_ schema: ObjectSchema) {
        guard schema.fields.count <= 64 else { return nil }
        var fields: [EncodedFieldSchema] = []
        for field in schema.fields {
            guard FieldName.isASCII(field.name), !fields.contains(where: { $0.name.elementsEqual(field.name.utf8) }),
                  let compiled = EncodedFieldSchema(field)
            else { return nil }
            fields.append(compiled)
        }
        self.fields = fields
        self.rejectsUndeclared = schema.additionalFields == .reject
        self.isTopLevel = schema.isTopLevel
    }

    /// Appends the elements of the document at `offset` in `source`, checked, then the
    /// defaults of missing fields. `false`: not accepted (the output then holds partial bytes).
    func writeElements(of offset: Int, in source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard var cursor = BSONElementCursor(document: offset, in: source) else { return false }
        var present: UInt64 = 0
        var hint = 0
        while let element = cursor.next() {
            let key = UnsafeRawBufferPointer(rebasing: source[element.keyStart..<element.keyEnd])
            guard EncodedKeys.isSafeASCII(key) else { return false }
            if let index = fieldIndex(of: key, from: hint) {
                hint = index + 1 == fields.count ? 0 : index + 1
                present |= 1 << UInt64(index)
                // The schema outlives the call: no reference counting per field per document.
                unowned(unsafe) let field = fields[index]
                if element.type == BSONTypeCode.null {
                    if field.isRequired { return false }
                    out.append(source, element.start..<element.valueEnd)
                } else if !field.write(element, from: source, into: &out) {
                    return false
                }
            } else {
                if rejectsUndeclared || (isTopLevel && Self.reservedNames.contains(where: { EncodedKeys.equal($0, key) })) {
                    return false
                }
                guard EncodedKeys.valueKeysAreSafe(element, in: source) else { return false }
                out.append(source, element.start..<element.valueEnd)
            }
        }
        if cursor.isMalformed { return false }
        for index in fields.indices where present & (1 << UInt64(index)) == 0 {
            if fields[index].isRequired { return false }
            if let element = fields[index].defaultElement { out.append(contentsOf: element) }
        }
        return true
    }

    /// The document at `offset` as a whole: length, elements, defaults, terminator.
    func writeDocument(of offset: Int, in source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        guard writeElements(of: offset, in: source, into: &out) else { return false }
        out.append(0)
        out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
        return true
    }

    /// Keys in declaration order cost one comparison each: the search starts after the last match.
    @inline(__always)
    private func fieldIndex(of key: UnsafeRawBufferPointer, from hint: Int) -> Int? {
        let count = fields.count
        var candidate = hint
        for _ in 0..<count {
            if EncodedKeys.equal(fields[candidate].name, key) { return candidate }
            candidate += 1
            if candidate == count { candidate = 0 }
        }
        return nil
    }
}
