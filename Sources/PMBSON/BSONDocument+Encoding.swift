/// BSON bytes (bsonspec.org 1.1, little-endian), as libmongoc expects them.
///
/// Keys and regex pattern/options are C strings in BSON: one containing U+0000
/// is cut at that character. `JSONReader` never produces such keys; code that
/// builds documents from other sources should not either.
extension BSONDocument {
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64 + count * 16)
        encode(into: &out)
        return out
    }

    /// Appends this document's BSON bytes to `out`.
    public func encode(into out: inout [UInt8]) {
        let start = out.count
        out.appendLittleEndian(Int32(0))  // length, patched below
        for element in elements {
            out.append(element.value.typeCode)
            BSONEncoding.appendCString(element.key, into: &out)
            BSONEncoding.appendValue(element.value, into: &out)
        }
        out.append(0)
        out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
    }
}

enum BSONEncoding {
    static func appendValue(_ value: BSON, into out: inout [UInt8]) {
        switch value {
        case .double(let d):
            out.appendLittleEndian(d.bitPattern)
        case .string(let s):
            appendString(s, into: &out)
        case .document(let d):
            d.encode(into: &out)
        case .array(let values):
            let start = out.count
            out.appendLittleEndian(Int32(0))  // length, patched below
            for (i, v) in values.enumerated() {
                out.append(v.typeCode)
                out.appendDecimal(UInt64(i))
                out.append(0)
                appendValue(v, into: &out)
            }
            out.append(0)
            out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
        case .binary(let subtype, let data):
            out.appendLittleEndian(Int32(truncatingIfNeeded: data.count))
            out.append(subtype)
            out.append(contentsOf: data)
        case .objectId(let id):
            out.appendBigEndian(id.high)
            out.appendBigEndian(id.low)
        case .bool(let b):
            out.append(b ? 1 : 0)
        case .date(let date):
            out.appendLittleEndian(date.millisecondsSince1970)
        case .null, .minKey, .maxKey, .undefined:
            break
        case .regex(let pattern, let options):
            appendCString(pattern, into: &out)
            appendCString(options, into: &out)
        case .int32(let i):
            out.appendLittleEndian(i)
        case .timestamp(let increment, let seconds):
            out.appendLittleEndian(increment)
            out.appendLittleEndian(seconds)
        case .int64(let i):
            out.appendLittleEndian(i)
        case .decimal128(let low, let high):
            out.appendLittleEndian(low)
            out.appendLittleEndian(high)
        }
    }

    /// int32 byte count including the trailing NUL, the UTF-8 bytes, NUL.
    static func appendString(_ s: String, into out: inout [UInt8]) {
        let utf8 = s.utf8
        out.appendLittleEndian(Int32(truncatingIfNeeded: utf8.count + 1))
        out.append(contentsOf: utf8)
        out.append(0)
    }

    /// The UTF-8 bytes up to the first NUL (if any), then NUL.
    static func appendCString(_ s: String, into out: inout [UInt8]) {
        let appended: Void? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            if let nul = utf8.firstIndex(of: 0) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<nul]))
            } else {
                out.append(contentsOf: utf8)
            }
        }
        if appended == nil {
            out.append(contentsOf: s.utf8.prefix { $0 != 0 })
        }
        out.append(0)
    }
}
