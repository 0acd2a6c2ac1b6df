extension BSONDocument {
    /// Default limit on nested documents/arrays when decoding (MongoDB's own
    /// server limit is 100 levels for stored documents, 180 for commands).
    public static let defaultMaxDecodingDepth = 200

    /// Decodes exactly one BSON document occupying all of `bsonBytes`.
    ///
    /// Validates every length, terminator and string (strict UTF-8). The
    /// deprecated symbol type becomes a string; DBPointer, JavaScript code and
    /// code-with-scope are rejected. Never traps on malformed input.
    public init(bsonBytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDecodingDepth) throws(BSONDecodingError) {
        var reader = BSONReader(bytes: bsonBytes, maxDepth: maxDepth)
        let end = try reader.documentEnd(at: 0, limit: bsonBytes.count)
        guard end == bsonBytes.count else {
            throw BSONDecodingError(offset: end, message: "\(bsonBytes.count - end) trailing bytes after the document at byte \(end)")
        }
        self = try reader.readDocument(at: 0, limit: bsonBytes.count)
    }

    public init(bsonBytes: [UInt8], maxDepth: Int = defaultMaxDecodingDepth) throws(BSONDecodingError) {
        let result = bsonBytes.withUnsafeBytes { buffer in
            Result { () throws(BSONDecodingError) in try BSONDocument(bsonBytes: buffer, maxDepth: maxDepth) }
        }
        self = try result.get()
    }
}

struct BSONReader {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Checks the length prefix and terminator of the document at `start`,
    /// which must end at or before `limit`; returns the offset after it.
    func documentEnd(at start: Int, limit: Int) throws(BSONDecodingError) -> Int {
        guard limit - start >= 4 else { throw truncated(at: start, "document length") }
        let length = Int(int32(at: start))
        guard length >= 5 else {
            throw BSONDecodingError(offset: start, message: "invalid document length \(length) at byte \(start)")
        }
        guard length <= limit - start else {
            throw BSONDecodingError(offset: start, message: "document length \(length) at byte \(start) exceeds the \(limit - start) bytes available")
        }
        let end = start + length
        guard bytes[end - 1] == 0 else {
            throw BSONDecodingError(offset: end - 1, message: "document at byte \(start) is missing its terminating NUL")
        }
        return end
    }

    mutating func readDocument(at start: Int, limit: Int) throws(BSONDecodingError) -> BSONDocument {
        var elements: [BSONDocument.Element] = []
        try readElements(at: start, limit: limit) { (key, value) throws(BSONDecodingError) in
            elements.append(BSONDocument.Element(key: key, value: value))
        }
        return BSONDocument(elements: elements)
    }

    mutating func readArray(at start: Int, limit: Int) throws(BSONDecodingError) -> [BSON] {
        var values: [BSON] = []
        try readElements(at: start, limit: limit) { (_, value) throws(BSONDecodingError) in
            values.append(value)
        }
        return values
    }

    private mutating func readElements(
        at start: Int, limit: Int,
        _ body: (String, BSON) throws(BSONDecodingError) -> Void
    ) throws(BSONDecodingError) {
        let end = try documentEnd(at: start, limit: limit)
        depth += 1
        defer { depth -= 1 }
        guard depth <= maxDepth else {
            throw BSONDecodingError(offset: start, message: "nesting deeper than \(maxDepth) levels at byte \(start)")
        }
        let contentEnd = end - 1  // the terminating NUL
        var position = start + 4
        while position < contentEnd {
            let type = bytes[position]
            let (key, afterKey) = try cString(at: position + 1, limit: contentEnd)
            let (value, next) = try readValue(type: type, typeOffset: position, key: key, at: afterKey, limit: contentEnd)
            try body(key, value)
            position = next
        }
    }

    mutating func readValue(type: UInt8, typeOffset: Int, key: String, at p: Int, limit: Int) throws(BSONDecodingError) -> (BSON, Int) {
        switch type {
        case BSONTypeCode.double:
            try need(8, at: p, limit: limit, "double")
            return (.double(Double(bitPattern: uint64(at: p))), p + 8)
        case BSONTypeCode.string, BSONTypeCode.symbol:
            let (s, next) = try string(at: p, limit: limit)
            return (.string(s), next)
        case BSONTypeCode.document:
            let end = try documentEnd(at: p, limit: limit)
            return (.document(try readDocument(at: p, limit: limit)), end)
        case BSONTypeCode.array:
            let end = try documentEnd(at: p, limit: limit)
            return (.array(try readArray(at: p, limit: limit)), end)
        case BSONTypeCode.binary:
            try need(5, at: p, limit: limit, "binary length")
            let length = Int(int32(at: p))
            guard length >= 0, length <= limit - p - 5 else {
                throw BSONDecodingError(offset: p, message: "invalid binary length \(length) at byte \(p)")
            }
            let subtype = bytes[p + 4]
            let data = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[(p + 5)..<(p + 5 + length)]))
            return (.binary(subtype: subtype, data: data), p + 5 + length)
        case BSONTypeCode.undefined:
            return (.undefined, p)
        case BSONTypeCode.objectId:
            try need(12, at: p, limit: limit, "ObjectId")
            let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let low = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self))
            return (.objectId(ObjectId(high: high, low: low)), p + 12)
        case BSONTypeCode.bool:
            try need(1, at: p, limit: limit, "boolean")
            switch bytes[p] {
            case 0: return (.bool(false), p + 1)
            case 1: return (.bool(true), p + 1)
            case let b: throw BSONDecodingError(offset: p, message: "invalid boolean byte \(b) at byte \(p)")
            }
        case BSONTypeCode.date:
            try need(8, at: p, limit: limit, "datetime")
            return (.date(BSONDate(millisecondsSince1970: Int64(bitPattern: uint64(at: p)))), p + 8)
        case BSONTypeCode.null:
            return (.null, p)
        case BSONTypeCode.regex:
            let (pattern, afterPattern) = try cString(at: p, limit: limit)
            let (options, next) = try cString(at: afterPattern, limit: limit)
            return (.regex(pattern: pattern, options: options), next)
        case BSONTypeCode.int32:
            try need(4, at: p, limit: limit, "int32")
            return (.int32(int32(at: p)), p + 4)
        case BSONTypeCode.timestamp:
            try need(8, at: p, limit: limit, "timestamp")
            let increment = UInt32(bitPattern: int32(at: p))
            let seconds = UInt32(bitPattern: int32(at: p + 4))
            return (.timestamp(increment: increment, seconds: seconds), p + 8)
        case BSONTypeCode.int64:
            try need(8, at: p, limit: limit, "int64")
            return (.int64(Int64(bitPattern: uint64(at: p))), p + 8)
        case BSONTypeCode.decimal128:
            try need(16, at: p, limit: limit, "decimal128")
            return (.decimal128(low: uint64(at: p), high: uint64(at: p + 8)), p + 16)
        case BSONTypeCode.minKey:
            return (.minKey, p)
        case BSONTypeCode.maxKey:
            return (.maxKey, p)
        case BSONTypeCode.dbPointer:
            throw unsupported("DBPointer", type: type, key: key, at: typeOffset)
        case BSONTypeCode.javaScript:
            throw unsupported("JavaScript code", type: type, key: key, at: typeOffset)
        case BSONTypeCode.javaScriptWithScope:
            throw unsupported("JavaScript code with scope", type: type, key: key, at: typeOffset)
        default:
            throw BSONDecodingError(offset: typeOffset, message: "unknown BSON element type 0x\(String(type, radix: 16)) at byte \(typeOffset)")
        }
    }

    // MARK: Primitives

    private func need(_ n: Int, at p: Int, limit: Int, _ what: String) throws(BSONDecodingError) {
        guard limit - p >= n else { throw truncated(at: p, what) }
    }

    private func int32(at p: Int) -> Int32 {
        Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: Int32.self))
    }

    private func uint64(at p: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt64.self))
    }

    /// A NUL-terminated UTF-8 string whose NUL lies before `limit`.
    private func cString(at p: Int, limit: Int) throws(BSONDecodingError) -> (String, Int) {
        var i = p
        while i < limit && bytes[i] != 0 { i += 1 }
        guard i < limit else {
            throw BSONDecodingError(offset: p, message: "unterminated C string at byte \(p)")
        }
        try validateUTF8(from: p, to: i)
        return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[p..<i]), as: UTF8.self), i + 1)
    }

    /// int32 length (counting the NUL), UTF-8 bytes, NUL.
    private func string(at p: Int, limit: Int) throws(BSONDecodingError) -> (String, Int) {
        try need(4, at: p, limit: limit, "string length")
        let length = Int(int32(at: p))
        guard length >= 1, length <= limit - p - 4 else {
            throw BSONDecodingError(offset: p, message: "invalid string length \(length) at byte \(p)")
        }
        let end = p + 4 + length - 1
        guard bytes[end] == 0 else {
            throw BSONDecodingError(offset: end, message: "string at byte \(p) is missing its terminating NUL")
        }
        try validateUTF8(from: p + 4, to: end)
        return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(p + 4)..<end]), as: UTF8.self), end + 1)
    }

    private func validateUTF8(from start: Int, to end: Int) throws(BSONDecodingError) {
        if let bad = UTF8Validation.firstInvalidOffset(in: bytes, from: start, to: end) {
            throw BSONDecodingError(offset: bad, message: "invalid UTF-8 at byte \(bad)")
        }
    }

    private func truncated(at p: Int, _ what: String) -> BSONDecodingError {
        BSONDecodingError(offset: p, message: "truncated \(what) at byte \(p)")
    }

    private func unsupported(_ name: String, type: UInt8, key: String, at offset: Int) -> BSONDecodingError {
        BSONDecodingError(offset: offset, message: "unsupported deprecated BSON type \(name) (0x0\(String(type, radix: 16, uppercase: true))) for key \"\(key)\" at byte \(offset)")
    }
}
