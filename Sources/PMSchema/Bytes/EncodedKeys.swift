import PMBSON

/// The byte path's reading of BSON elements: keys checked as UTF-8 bytes, values decoded
/// only as far as a rule needs them.
enum EncodedKeys {
    /// Safe (`FieldNameSafety.isSafe`) and ASCII, so that byte equality with a declared
    /// name is the schema's name equality.
    @inline(__always)
    static func isSafeASCII(_ key: UnsafeRawBufferPointer) -> Bool {
        for byte in key where byte >= 0x80 { return false }
        return FieldNameSafety.isSafe(key)
    }
}

/// A value as the rules see it on the byte path: numbers, booleans, dates and ObjectIds
/// decoded; strings as their UTF-8 bytes; arrays by their item count.
enum EncodedValue {
    case scalar(BSON)
    case string(UnsafeRawBufferPointer)
    case array(count: Int)
}

extension BSONRawElement {
    @inline(__always)
    func key(in source: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: source[keyStart..<keyEnd])
    }

    /// A string value's UTF-8 bytes (without its length and NUL).
    func stringBytes(in source: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: source[(valueStart + 4)..<(valueEnd - 1)])
    }

    /// An int32, int64 or double value.
    func number(in source: UnsafeRawBufferPointer) -> BSON {
        switch type {
        case BSONTypeCode.int32:
            .int32(Int32(littleEndian: source.loadUnaligned(fromByteOffset: valueStart, as: Int32.self)))
        case BSONTypeCode.int64:
            .int64(Int64(littleEndian: source.loadUnaligned(fromByteOffset: valueStart, as: Int64.self)))
        default:
            .double(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: valueStart, as: UInt64.self))))
        }
    }

    /// The items of an array value; `nil` when its bytes are malformed.
    func itemCount(in source: UnsafeRawBufferPointer) -> Int? {
        guard var cursor = BSONElementCursor(document: valueStart, in: source) else { return nil }
        var count = 0
        while cursor.next() != nil { count += 1 }
        return cursor.isMalformed ? nil : count
    }

    /// Appends a type byte (the element's own or a converted one), then the key and its NUL.
    func appendTypeAndKey(_ type: UInt8, from source: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(type)
        out.append(source, keyStart..<(keyEnd + 1))
    }
}
