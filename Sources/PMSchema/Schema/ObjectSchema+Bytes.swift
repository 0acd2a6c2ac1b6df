import PMBSON

/// The byte path: an object's documents checked and copied from BSON bytes (the request body
/// as transcoded by `JSONReader.transcodeDocument`) to the stored form, normalised and with
/// defaults appended as `validate` does, without building the value model.
///
/// It only ever *accepts*: whenever a document breaks a rule, or needs something it does not
/// do (a key that is not ASCII, a reserved or unsafe key, an integral double for an
/// `integer`, an `enum` or `pattern` it cannot decide on bytes), it answers `false` and the
/// caller runs the model path, which gives the exact violation. When it accepts, the bytes
/// written are those the model path encodes for the same document.
extension ObjectSchema {
    private static let reservedNameBytes: [[UInt8]] = ReservedFields.names.map { Array($0.utf8) }

    /// Appends the elements of the document at `offset` in `source`, checked, then the
    /// defaults of missing fields. `false`: not accepted (the output then holds partial
    /// bytes). Only for schemas without a `bytePathObstacle`.
    func writeElements(of offset: Int, in source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard var cursor = BSONElementCursor(document: offset, in: source) else { return false }
        let rejectsUndeclared = additionalFields == .reject
        var present: UInt64 = 0
        var hint = 0
        while let element = cursor.next() {
            let key = element.key(in: source)
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
                if rejectsUndeclared || (isTopLevel && Self.reservedNameBytes.contains(where: { bsonKeysEqual($0, key) })) {
                    return false
                }
                guard AnyValue.write(element, from: source, into: &out) else { return false }
            }
        }
        if cursor.isMalformed { return false }
        for index in fields.indices where present & (1 << UInt64(index)) == 0 {
            unowned(unsafe) let field = fields[index]
            if field.isRequired { return false }
            if let element = field.defaultElement { out.append(contentsOf: element) }
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
            if bsonKeysEqual(fields[candidate].nameBytes, key) { return candidate }
            candidate += 1
            if candidate == count { candidate = 0 }
        }
        return nil
    }

    /// Why the byte path cannot handle these fields (at any depth), or `nil`: more than 64
    /// fields in one object (the presence mask), names that are not ASCII (byte equality
    /// would not be the model's name equality) or not distinct.
    static func bytePathObstacle(_ fields: [FieldSchema]) -> String? {
        if fields.count > 64 { return "an object declares more than 64 fields" }
        for (index, field) in fields.enumerated() {
            if !FieldName.isASCII(field.name) { return "field \(field.name) has a name that is not ASCII" }
            if fields[..<index].contains(where: { $0.nameBytes == field.nameBytes }) {
                return "field \(field.name) is declared twice"
            }
            var inner: FieldSchema? = field
            while let current = inner {
                if let obstacle = current.nested?.bytePathObstacle { return "in \(field.name): \(obstacle)" }
                inner = current.items
            }
        }
        return nil
    }
}
