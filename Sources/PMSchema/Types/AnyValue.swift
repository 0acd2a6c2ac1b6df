import PMBSON

/// Content no schema declares: undeclared fields (where `additional_fields: allow`), the
/// content of an `object` without `fields` and the items of an `array` without `items`.
/// Any value is accepted as sent, as long as no key in it, at any depth, is one MongoDB
/// would misread (`FieldNameSafety`; the model path checks that for the whole document
/// before anything else).
enum AnyValue {
    /// The byte path: copies `element` when every key inside its value is safe.
    static func write(_ element: BSONRawElement, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard keysAreSafe(in: element, source: source) else { return false }
        out.append(source, element.start..<element.valueEnd)
        return true
    }

    /// Every key inside `element`'s value (documents and arrays, at any depth) is safe.
    static func keysAreSafe(in element: BSONRawElement, source: UnsafeRawBufferPointer) -> Bool {
        switch element.type {
        case BSONTypeCode.document: keysAreSafe(document: element.valueStart, in: source, checkingKeys: true)
        case BSONTypeCode.array: keysAreSafe(document: element.valueStart, in: source, checkingKeys: false)
        default: true
        }
    }

    private static func keysAreSafe(document offset: Int, in source: UnsafeRawBufferPointer, checkingKeys: Bool) -> Bool {
        guard var cursor = BSONElementCursor(document: offset, in: source) else { return false }
        while let element = cursor.next() {
            if checkingKeys && !FieldNameSafety.isSafe(element.key(in: source)) { return false }
            if !keysAreSafe(in: element, source: source) { return false }
        }
        return !cursor.isMalformed
    }
}
