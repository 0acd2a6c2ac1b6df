/// Writes the BSON model as JSON, appending UTF-8 to a byte array. Ids and dates are written
/// as docs/API.md ("Ids and dates in JSON") says clients see them.
///
/// Mapping:
/// - `objectId` → 24 lowercase hex digits as a string;
/// - `date` → ISO-8601 UTC string with milliseconds, `2024-01-02T03:04:05.678Z`
///   (years outside 0000...9999 use the expanded `±YYYYYY` form);
/// - `int32`/`int64` → integer;
/// - `double` → Swift's shortest round-tripping text; integral values keep a
///   fraction (`10.0`, `1e+16`) so that reading the output back gives a double
///   again; NaN and ±infinity → `null`;
/// - `binary` → standard base64 string with padding (the subtype is dropped);
/// - `regex` → `{"$regex":pattern,"$options":options}`;
/// - `timestamp` → `{"t":seconds,"i":increment}`;
/// - `decimal128` → its canonical string (`"1.23E+5"`, `"NaN"`), quoted so no
///   digit is lost to a JSON number parser;
/// - `minKey`, `maxKey`, `undefined` → `null`.
///
/// Strings: `"` and `\` are escaped, control characters use `\b \f \n \r \t`
/// or `\u00XX`; everything else, including non-ASCII, is written as UTF-8.
/// No whitespace is added.
public enum JSONWriter {
    public static func write(_ document: BSONDocument, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for element in document.elements {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(element.key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(element.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public static func write(_ value: BSON, into out: inout [UInt8]) {
        switch value {
        case .double(let d):
            writeDouble(d, into: &out)
        case .string(let s):
            writeString(s, into: &out)
        case .document(let d):
            write(d, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            var first = true
            for v in values {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .binary(_, let data):
            out.append(UInt8(ascii: "\""))
            Base64.encode(data, into: &out)
            out.append(UInt8(ascii: "\""))
        case .objectId(let id):
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: id.hex.utf8)
            out.append(UInt8(ascii: "\""))
        case .bool(let b):
            out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .date(let date):
            out.append(UInt8(ascii: "\""))
            date.appendISO8601(into: &out)
            out.append(UInt8(ascii: "\""))
        case .null, .minKey, .maxKey, .undefined:
            out.append(contentsOf: "null".utf8)
        case .regex(let pattern, let options):
            out.append(contentsOf: #"{"$regex":"#.utf8)
            writeString(pattern, into: &out)
            out.append(contentsOf: #","$options":"#.utf8)
            writeString(options, into: &out)
            out.append(UInt8(ascii: "}"))
        case .int32(let i):
            out.appendDecimal(Int64(i))
        case .int64(let i):
            out.appendDecimal(i)
        case .timestamp(let increment, let seconds):
            out.append(contentsOf: #"{"t":"#.utf8)
            out.appendDecimal(UInt64(seconds))
            out.append(contentsOf: #","i":"#.utf8)
            out.appendDecimal(UInt64(increment))
            out.append(UInt8(ascii: "}"))
        case .decimal128(let low, let high):
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: Decimal128Formatting.string(low: low, high: high).utf8)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Writes `string` as a quoted, escaped JSON string.
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: "u00".utf8)
                    out.append(hex.utf8Start[Int(b >> 4)])
                    out.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        // `description` is the shortest text that reads back as the same double,
        // always with a fraction or exponent, and always valid JSON.
        out.append(contentsOf: d.description.utf8)
    }
}

extension BSONDocument: CustomStringConvertible {
    /// The document as compact JSON (see `JSONWriter`).
    public var jsonBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64)
        JSONWriter.write(self, into: &out)
        return out
    }

    /// The document as compact JSON (see `JSONWriter`).
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }

    public var description: String { jsonString }
}

extension BSON {
    /// The value as compact JSON (see `JSONWriter`).
    public var jsonString: String {
        var out = [UInt8]()
        JSONWriter.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
