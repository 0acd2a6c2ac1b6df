/// One element of a BSON document in a byte buffer: its type byte and where its key
/// (without the NUL) and its value lie.
public struct BSONRawElement: Sendable {
    public let type: UInt8
    public let keyStart: Int
    public let keyEnd: Int
    public let valueStart: Int
    public let valueEnd: Int

    /// The offset of the type byte: the element is `start..<valueEnd`.
    @inlinable public var start: Int { keyStart - 1 }
    @inlinable public var keyCount: Int { keyEnd - keyStart }
}

/// Walks the elements of one BSON document in place, without decoding them. Lengths
/// are checked against the document's bounds, so malformed bytes end the walk with
/// `isMalformed` set instead of trapping; strings are not UTF-8 checked.
public struct BSONElementCursor {
    public let bytes: UnsafeRawBufferPointer
    /// The offset after the document's terminating NUL.
    public let documentEnd: Int
    private let contentEnd: Int
    private var position: Int
    public private(set) var isMalformed = false

    /// The document starting at `offset`; `nil` when its length or terminator is wrong.
    public init?(document offset: Int, in bytes: UnsafeRawBufferPointer) {
        guard offset >= 0, bytes.count - offset >= 5 else { return nil }
        let length = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        guard length >= 5, length <= bytes.count - offset, bytes[offset + length - 1] == 0 else { return nil }
        self.bytes = bytes
        self.documentEnd = offset + length
        self.contentEnd = offset + length - 1
        self.position = offset + 4
    }

    /// The next element, or `nil` at the end (or at malformed bytes: see `isMalformed`).
    public mutating func next() -> BSONRawElement? {
        guard position < contentEnd else { return nil }
        let type = bytes[position]
        let keyStart = position + 1
        var keyEnd = keyStart
        while keyEnd < contentEnd && bytes[keyEnd] != 0 { keyEnd += 1 }
        guard keyEnd < contentEnd,
              let length = Self.valueLength(type: type, at: keyEnd + 1, in: bytes, limit: contentEnd)
        else {
            isMalformed = true
            position = contentEnd
            return nil
        }
        let element = BSONRawElement(
            type: type, keyStart: keyStart, keyEnd: keyEnd, valueStart: keyEnd + 1, valueEnd: keyEnd + 1 + length)
        position = element.valueEnd
        return element
    }

    /// The byte length of a value of `type` at `offset` that must end by `limit`; `nil` when it cannot.
    public static func valueLength(type: UInt8, at offset: Int, in bytes: UnsafeRawBufferPointer, limit: Int) -> Int? {
        let available = limit - offset
        func int32(_ at: Int) -> Int { Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self))) }
        func cString(from start: Int) -> Int? {
            var i = start
            while i < limit && bytes[i] != 0 { i += 1 }
            return i < limit ? i + 1 - start : nil
        }
        let length: Int
        switch type {
        case BSONTypeCode.double, BSONTypeCode.date, BSONTypeCode.timestamp, BSONTypeCode.int64: length = 8
        case BSONTypeCode.int32: length = 4
        case BSONTypeCode.bool: length = 1
        case BSONTypeCode.objectId: length = 12
        case BSONTypeCode.decimal128: length = 16
        case BSONTypeCode.null, BSONTypeCode.undefined, BSONTypeCode.minKey, BSONTypeCode.maxKey: length = 0
        case BSONTypeCode.string, BSONTypeCode.symbol, BSONTypeCode.javaScript:
            guard available >= 4 else { return nil }
            let count = int32(offset)
            guard count >= 1 else { return nil }
            length = 4 + count
        case BSONTypeCode.document, BSONTypeCode.array, BSONTypeCode.javaScriptWithScope:
            guard available >= 4 else { return nil }
            length = int32(offset)
            guard length >= 5 else { return nil }
        case BSONTypeCode.binary:
            guard available >= 5 else { return nil }
            let count = int32(offset)
            guard count >= 0 else { return nil }
            length = 5 + count
        case BSONTypeCode.regex:
            guard let pattern = cString(from: offset), let options = cString(from: offset + pattern) else { return nil }
            length = pattern + options
        case BSONTypeCode.dbPointer:
            guard available >= 4 else { return nil }
            let count = int32(offset)
            guard count >= 1 else { return nil }
            length = 4 + count + 12
        default:
            return nil
        }
        return length <= available ? length : nil
    }
}

extension BSON {
    /// The value of `element`, decoded as `BSONDocument(bsonBytes:)` decodes values.
    public init(decoding element: BSONRawElement, in bytes: UnsafeRawBufferPointer) throws(BSONDecodingError) {
        var reader = BSONReader(bytes: bytes, maxDepth: BSONDocument.defaultMaxDecodingDepth)
        self = try reader.readValue(
            type: element.type, typeOffset: element.start, key: "", at: element.valueStart, limit: element.valueEnd
        ).0
    }
}
