/// Standard base64 (RFC 4648 §4) with `=` padding.
public enum Base64 {
    public static func encode(_ data: [UInt8], into out: inout [UInt8]) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = alphabet.utf8Start
        out.reserveCapacity(out.count + (data.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(table[Int(n >> 6 & 63)])
            out.append(table[Int(n & 63)])
            i += 3
        }
        switch data.count - i {
        case 1:
            let n = UInt32(data[i]) << 16
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(contentsOf: "==".utf8)
        case 2:
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(table[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        default:
            break
        }
    }

    public static func encode(_ data: [UInt8]) -> String {
        var out = [UInt8]()
        encode(data, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
