import PMBSON

/// Key checks of the byte path (`EncodedObjectSchema`), on UTF-8 bytes.
enum EncodedKeys {
    @inline(__always)
    static func equal(_ name: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
        guard name.count == key.count else { return false }
        return name.withUnsafeBytes { $0.elementsEqual(key) }
    }

    /// Safe (`FieldNameSafety.isSafe`) and ASCII, so that byte equality with a declared
    /// name is the schema's name equality.
    @inline(__always)
    static func isSafeASCII(_ key: UnsafeRawBufferPointer) -> Bool {
        for byte in key where byte >= 0x80 { return false }
        return FieldNameSafety.isSafe(key)
    }

    /// Every key inside `element`'s value (documents and arrays, at any depth) is safe.
    static func valueKeysAreSafe(_ element: BSONRawElement, in source: UnsafeRawBufferPointer) -> Bool {
        switch element.type {
        case BSONTypeCode.document: keysAreSafe(document: element.valueStart, in: source, checkingKeys: true)
        case BSONTypeCode.array: keysAreSafe(document: element.valueStart, in: source, checkingKeys: false)
        default: true
        }
    }

    private static func keysAreSafe(document offset: Int, in source: UnsafeRawBufferPointer, checkingKeys: Bool) -> Bool {
        guard var cursor = BSONElementCursor(document: offset, in: source) else { return false }
        while let element = cursor.next() {
            if checkingKeys && !FieldNameSafety.isSafe(UnsafeRawBufferPointer(rebasing: source[element.keyStart..<element.keyEnd])) {
                return false
            }
            if !valueKeysAreSafe(element, in: source) { return false }
        }
        return !cursor.isMalformed
    }
}
