extension JSONReader {
    /// Reads a JSON text whose top-level value must be an object and appends
    /// its BSON bytes to `out`, without building the `BSON` model.
    ///
    /// Same acceptance, same errors (message and offset) as
    /// `parseDocument(_:maxDepth:)`; the appended bytes equal
    /// `parseDocument(bytes).encoded()`.
    ///
    /// On a thrown error `out` is left exactly as it was: the document is
    /// written to a buffer of its own and appended only once it is complete,
    /// so there are no partial bytes to truncate.
    public static func transcodeDocument(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONError) {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, sink: JSONBSONWriter(capacity: bytes.count + bytes.count / 2 + 64))
        defer { parser.sink.deallocate() }
        try parser.parseTopLevelDocument()
        out.append(contentsOf: parser.sink.written)
    }
}

/// The `JSONSink` behind `JSONReader.transcodeDocument`: writes each value's
/// BSON bytes as it is parsed, keys and strings straight from the input (or
/// the parser's scratch buffer when they had escapes), into a buffer it owns
/// and grows (`deallocate()` when done).
///
/// An element's type byte comes before its key, but the type is known only
/// when its value starts: the key is written after a placeholder whose offset
/// is `typeSlot`, and the value's first call fills it in. Document and array
/// lengths are patched when they end.
struct JSONBSONWriter: JSONSink {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0
    /// Offset of the type byte of the value about to be parsed. The top-level
    /// document has none: its slot is the first byte of its own length field,
    /// overwritten when that length is patched.
    private var typeSlot = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
    }

    /// The bytes written so far; valid until the next write or `deallocate()`.
    var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func deallocate() { base.deallocate() }

    // MARK: Objects and arrays

    @inline(__always)
    mutating func beginObject() -> Int { beginContainer(BSONTypeCode.document) }

    @inline(__always)
    mutating func key(_ utf8: UnsafeRawBufferPointer) {
        let n = utf8.count
        let p = claim(n + 2)
        typeSlot = count - n - 2
        p.storeBytes(of: 0, as: UInt8.self)
        copy(utf8, to: p + 1)
        p.storeBytes(of: 0, toByteOffset: n + 1, as: UInt8.self)
    }

    @inline(__always)
    mutating func member(_ key: Void, _ value: Void) {}

    @inline(__always)
    mutating func endObject(_ start: Int) { endContainer(start) }

    @inline(__always)
    func documentValue(_ document: Void) {}

    @inline(__always)
    mutating func beginArray() -> Int { beginContainer(BSONTypeCode.array) }

    /// The key of an array element is its index in decimal.
    @inline(__always)
    mutating func elementIndex(_ index: Int) {
        var digits = 1
        var rest = index / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        typeSlot = count
        let p = claim(digits + 2)
        p.storeBytes(of: 0, as: UInt8.self)
        var value = index
        for k in (1...digits).reversed() {
            p.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10), toByteOffset: k, as: UInt8.self)
            value /= 10
        }
        p.storeBytes(of: 0, toByteOffset: digits + 1, as: UInt8.self)
    }

    @inline(__always)
    mutating func element(_ value: Void) {}

    @inline(__always)
    mutating func endArray(_ start: Int) { endContainer(start) }

    /// Fills the type slot, then a length placeholder; returns its offset.
    @inline(__always)
    private mutating func beginContainer(_ type: UInt8) -> Int {
        let start = count
        claim(4).storeBytes(of: 0, as: UInt32.self)
        setType(type)
        return start
    }

    @inline(__always)
    private mutating func endContainer(_ start: Int) {
        claim(1).storeBytes(of: 0, as: UInt8.self)
        (base + start).storeBytes(of: UInt32(truncatingIfNeeded: count - start).littleEndian, as: UInt32.self)
    }

    // MARK: Scalars

    /// int32 byte count including the trailing NUL, the UTF-8 bytes, NUL.
    @inline(__always)
    mutating func string(_ utf8: UnsafeRawBufferPointer) {
        setType(BSONTypeCode.string)
        let n = utf8.count
        let p = claim(n + 5)
        p.storeBytes(of: UInt32(truncatingIfNeeded: n + 1).littleEndian, as: UInt32.self)
        copy(utf8, to: p + 4)
        p.storeBytes(of: 0, toByteOffset: n + 4, as: UInt8.self)
    }

    @inline(__always) mutating func int32(_ value: Int32) { appendScalar(BSONTypeCode.int32, value) }
    @inline(__always) mutating func int64(_ value: Int64) { appendScalar(BSONTypeCode.int64, value) }
    @inline(__always) mutating func double(_ value: Double) { appendScalar(BSONTypeCode.double, value.bitPattern) }

    /// Fills the type slot, then `value` little-endian.
    @inline(__always)
    private mutating func appendScalar<T: FixedWidthInteger>(_ type: UInt8, _ value: T) {
        setType(type)
        claim(MemoryLayout<T>.size).storeBytes(of: value.littleEndian, as: T.self)
    }

    @inline(__always)
    mutating func bool(_ value: Bool) {
        setType(BSONTypeCode.bool)
        claim(1).storeBytes(of: value ? 1 : 0, as: UInt8.self)
    }

    @inline(__always)
    mutating func null() { setType(BSONTypeCode.null) }

    // MARK: Buffer

    @inline(__always)
    private func setType(_ type: UInt8) {
        base.storeBytes(of: type, toByteOffset: typeSlot, as: UInt8.self)
    }

    /// Makes room for `n` more bytes and returns where they go.
    @inline(__always)
    private mutating func claim(_ n: Int) -> UnsafeMutableRawPointer {
        if n > capacity &- count { grow(toAtLeast: count + n) }
        let p = base + count
        count &+= n
        return p
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        capacity = max(minimum, capacity * 2)
        let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        larger.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = larger
    }

    @inline(__always)
    private func copy(_ bytes: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) {
        if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: bytes.count) }
    }
}
