/// A tiny writer for the few BSON documents PMMongo composes itself
/// (driver options and commands). Caller documents arrive as bytes and are
/// embedded as-is. Little-endian, per bsonspec.org.
struct BSONWriter {
    private var body: [UInt8] = []

    init() {}

    private mutating func header(_ type: UInt8, _ key: String) {
        body.append(type)
        body.append(contentsOf: key.utf8)
        body.append(0)
    }

    private mutating func appendLE<I: FixedWidthInteger>(_ value: I) {
        withUnsafeBytes(of: value.littleEndian) { body.append(contentsOf: $0) }
    }

    mutating func append(_ key: String, _ value: String) {
        header(0x02, key)
        appendLE(Int32(value.utf8.count + 1))
        body.append(contentsOf: value.utf8)
        body.append(0)
    }

    mutating func append(_ key: String, _ value: Bool) {
        header(0x08, key)
        body.append(value ? 1 : 0)
    }

    mutating func append(_ key: String, _ value: Int32) {
        header(0x10, key)
        appendLE(value)
    }

    mutating func append(_ key: String, _ value: Int64) {
        header(0x12, key)
        appendLE(value)
    }

    /// Embeds a complete BSON document.
    mutating func append(_ key: String, document: [UInt8]) {
        header(0x03, key)
        body.append(contentsOf: document)
    }

    /// Embeds an array whose elements are complete BSON documents.
    mutating func append(_ key: String, documents: [[UInt8]]) {
        var array = BSONWriter()
        for (index, document) in documents.enumerated() {
            array.append(String(index), document: document)
        }
        header(0x04, key)
        body.append(contentsOf: array.finish())
    }

    /// Embeds an array of strings.
    mutating func append(_ key: String, strings: [String]) {
        var array = BSONWriter()
        for (index, string) in strings.enumerated() {
            array.append(String(index), string)
        }
        header(0x04, key)
        body.append(contentsOf: array.finish())
    }

    func finish() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 5)
        withUnsafeBytes(of: Int32(body.count + 5).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: body)
        out.append(0)
        return out
    }
}
