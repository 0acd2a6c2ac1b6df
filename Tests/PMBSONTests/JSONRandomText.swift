/// wyrand (Wang Yi's generator, as in Go's and Zig's runtimes): small, fast
/// and seedable, so that a failing random case can be replayed from its seed.
struct WyRand: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }
}

/// Random JSON texts whose top level is an object: nested objects and arrays,
/// every number shape (int32/int64 edges, beyond int64, fractions, exponents,
/// out of range), strings with every escape, raw and escaped non-ASCII and
/// surrogate pairs, keys sometimes repeated (in another spelling), and rare
/// deliberate mistakes (leading zeros, lone surrogates, U+0000 in keys, raw
/// control characters). `corrupt` then breaks a text at one byte.
struct JSONRandomText {
    var rng: WyRand

    init(seed: UInt64) { rng = WyRand(seed: seed) }

    mutating func document(maxNesting: Int) -> [UInt8] {
        var out: [UInt8] = []
        whitespace(&out)
        object(&out, nesting: maxNesting)
        whitespace(&out)
        return out
    }

    // MARK: Choices

    private mutating func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    // MARK: Containers

    private mutating func value(_ out: inout [UInt8], nesting: Int) {
        switch below(nesting > 0 ? 10 : 7) {
        case 0, 1: number(&out)
        case 2, 3: string(&out, scalars: randomScalars(minimumLength: 0))
        case 4: out += Array("true".utf8)
        case 5: out += Array("false".utf8)
        case 6: out += Array("null".utf8)
        case 7, 8: object(&out, nesting: nesting - 1)
        default: array(&out, nesting: nesting - 1)
        }
    }

    private mutating func object(_ out: inout [UInt8], nesting: Int) {
        out.append(UInt8(ascii: "{"))
        // Some objects pass the 24 members where duplicate checks switch to a Set.
        let count = chance(3) ? 20 + below(15) : below(7)
        var keys: [[Unicode.Scalar]] = []
        for i in 0..<count {
            if i > 0 { token(",", &out) }
            whitespace(&out)
            var key: [Unicode.Scalar]
            if !keys.isEmpty && chance(1) {
                key = keys[below(keys.count)]  // a duplicate, maybe spelled differently
            } else if chance(60) {
                key = Array("k\(i)".unicodeScalars)
            } else {
                key = chance(2) ? [] : randomScalars(minimumLength: 1).filter { $0 != "\u{0}" }
            }
            if chance(1) && chance(30) { key.insert("\u{0}", at: below(key.count + 1)) }
            keys.append(key)
            string(&out, scalars: key)
            token(":", &out)
            whitespace(&out)
            value(&out, nesting: nesting)
        }
        token("}", &out)
    }

    private mutating func array(_ out: inout [UInt8], nesting: Int) {
        out.append(UInt8(ascii: "["))
        // Some arrays have keys of two or three digits (long ones only of scalars).
        let count = chance(5) ? (nesting <= 0 && chance(30) ? 100 + below(20) : 10 + below(15)) : below(6)
        for i in 0..<count {
            if i > 0 { token(",", &out) }
            whitespace(&out)
            value(&out, nesting: nesting)
        }
        token("]", &out)
    }

    private mutating func token(_ character: Unicode.Scalar, _ out: inout [UInt8]) {
        whitespace(&out)
        out.append(UInt8(ascii: character))
    }

    private mutating func whitespace(_ out: inout [UInt8]) {
        guard chance(15) else { return }
        for _ in 0...below(3) { out.append([0x20, 0x0A, 0x0D, 0x09][below(4)]) }
    }

    // MARK: Numbers

    private mutating func number(_ out: inout [UInt8]) {
        let edges = ["0", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                     "18446744073709551615", "18446744073709551616", "9007199254740992", "9007199254740993",
                     "-0.0", "0e0", "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "1.7976931348623157e308",
                     "1e309", "-1e400", "1e-400", "2.2250738585072014e-308", "123456789012345678901234567890"]
        var text: String
        switch below(6) {
        case 0: text = edges[below(edges.count)]
        case 1: text = String(Int32.random(in: .min ... .max, using: &rng))
        case 2: text = String(Int64.random(in: .min ... .max, using: &rng))
        default:
            text = chance(30) ? "-" : ""
            text += digits(1 + below(chance(10) ? 25 : 6), leadingZeroAllowed: chance(3))
            if chance(60) { text += "." + digits(1 + below(chance(10) ? 25 : 4), leadingZeroAllowed: true) }
            if chance(30) {
                text += ["e", "E"][below(2)] + ["", "+", "-"][below(3)]
                text += chance(5) ? digits(3 + below(20), leadingZeroAllowed: true) : String(below(chance(10) ? 400 : 30))
            }
        }
        out += Array(text.utf8)
    }

    private mutating func digits(_ count: Int, leadingZeroAllowed: Bool) -> String {
        var text = ""
        for k in 0..<count {
            let digit = k == 0 && count > 1 && !leadingZeroAllowed ? 1 + below(9) : below(10)
            text += String(digit)
        }
        return text
    }

    // MARK: Strings

    private mutating func randomScalars(minimumLength: Int) -> [Unicode.Scalar] {
        let length = chance(10) ? 8 + below(40) : minimumLength + below(9)
        let pool: [Unicode.Scalar] = ["a", "b", "Z", "0", " ", "\"", "\\", "/", "\u{7F}", "\u{0}", "\u{1}", "\u{8}",
                                      "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "é", "ß", "€", "名", "\u{FFFF}",
                                      "\u{E000}", "😀", "𝄞", "\u{10FFFF}", "\u{80}", "\u{7FF}", "\u{800}"]
        return (0..<length).map { _ in chance(50) ? Unicode.Scalar(UInt8(0x61 + below(26))) : pool[below(pool.count)] }
    }

    /// The scalars as a JSON string, each spelled raw or escaped at random
    /// (escaped where JSON requires it, bar a rare raw control character).
    private mutating func string(_ out: inout [UInt8], scalars: [Unicode.Scalar]) {
        out.append(UInt8(ascii: "\""))
        for scalar in scalars {
            let v = scalar.value
            let mustEscape = v < 0x20 || scalar == "\"" || scalar == "\\"
            if mustEscape && chance(1) {
                out.append(UInt8(v))  // a raw control character or a stray quote/backslash
            } else if mustEscape || chance(15) {
                escape(scalar, &out)
            } else {
                out += Array(String(scalar).utf8)
            }
        }
        if chance(1) && chance(50) { out += Array(["\\ud800", "\\udfff", "\\ud83dx", "\\u12", "\\x", "\\"][below(6)].utf8) }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ scalar: Unicode.Scalar, _ out: inout [UInt8]) {
        let short: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "/": "\\/", "\u{8}": "\\b", "\u{C}": "\\f",
                                               "\n": "\\n", "\r": "\\r", "\t": "\\t"]
        if let spelled = short[scalar], chance(70) {
            out += Array(spelled.utf8)
            return
        }
        for unit in String(scalar).utf16 {
            var hex = String(unit, radix: 16, uppercase: chance(50))
            while hex.count < 4 { hex = "0" + hex }
            out += Array("\\u\(hex)".utf8)
        }
    }

    // MARK: Corruption

    /// `text` with one byte replaced, removed or inserted, or cut short.
    mutating func corrupt(_ text: [UInt8]) -> [UInt8] {
        var bytes = text
        let interesting: [UInt8] = Array("\"\\{}[],:0-.eEu t".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xF0, 0xF4, 0xFF]
        let replacement = chance(70) ? interesting[below(interesting.count)] : UInt8.random(in: 0...255, using: &rng)
        let position = below(bytes.count + 1)
        switch below(4) {
        case 0 where position < bytes.count: bytes[position] = replacement
        case 1 where position < bytes.count: bytes.remove(at: position)
        case 2: bytes.insert(replacement, at: position)
        default: bytes.removeSubrange(position...)
        }
        return bytes
    }
}
