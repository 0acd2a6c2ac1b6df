/// The canonical string of an IEEE 754-2008 decimal128 value, as specified by
/// the BSON decimal128 specification ("To string representation").
public enum Decimal128Formatting {
    private static let exponentBias = 6176

    /// E.g. `"0"`, `"-1.50"`, `"1.23E+5"`, `"1E-10"`, `"Infinity"`, `"NaN"`.
    public static func string(low: UInt64, high: UInt64) -> String {
        let negative = high >> 63 == 1
        let combination = (high >> 58) & 0x1F
        var out = negative ? "-" : ""
        if combination == 0x1F { return "NaN" }
        if combination == 0x1E { return out + "Infinity" }

        if (high >> 61) & 3 == 3 {
            // Implied 100 prefix: the significand exceeds 10^34 - 1, so it is non-canonical; treat as zero.
            let biasedExponent = Int((high >> 47) & 0x3FFF)
            return out + format(digits: [0], exponent: biasedExponent - exponentBias)
        }
        let biasedExponent = Int((high >> 49) & 0x3FFF)
        let significandHigh = high & 0x1_FFFF_FFFF_FFFF

        // 10^34 - 1 = 0x1ED09BEAD87C0378D8E63FFFFFFFF
        let maxHigh: UInt64 = 0x1_ED09_BEAD_87C0
        let maxLow: UInt64 = 0x378D_8E63_FFFF_FFFF
        var digits: [UInt8]
        if significandHigh > maxHigh || (significandHigh == maxHigh && low > maxLow) {
            digits = [0]
        } else {
            digits = decimalDigits(high: significandHigh, low: low)
        }
        out += format(digits: digits, exponent: biasedExponent - exponentBias)
        return out
    }

    /// The decimal digits (most significant first, no leading zeros; `[0]` for zero).
    private static func decimalDigits(high: UInt64, low: UInt64) -> [UInt8] {
        // Four 32-bit words, most significant first; divide by 10^9 repeatedly.
        var words: [UInt32] = [UInt32(high >> 32), UInt32(truncatingIfNeeded: high), UInt32(low >> 32), UInt32(truncatingIfNeeded: low)]
        var chunks: [UInt32] = []
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for k in 0..<4 {
                let dividend = remainder << 32 | UInt64(words[k])
                words[k] = UInt32(dividend / 1_000_000_000)
                remainder = dividend % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
        }
        if chunks.isEmpty { return [0] }
        var digits: [UInt8] = []
        for (n, chunk) in chunks.reversed().enumerated() {
            var piece = [UInt8](repeating: 0, count: 9)
            var c = chunk
            for k in stride(from: 8, through: 0, by: -1) {
                piece[k] = UInt8(c % 10)
                c /= 10
            }
            if n == 0 {
                digits.append(contentsOf: piece.drop(while: { $0 == 0 }))
            } else {
                digits.append(contentsOf: piece)
            }
        }
        return digits
    }

    private static func format(digits: [UInt8], exponent: Int) -> String {
        let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        let adjustedExponent = exponent + (digits.count - 1)
        if exponent > 0 || adjustedExponent < -6 {
            // Scientific notation.
            var out = String(text.prefix(1))
            if digits.count > 1 { out += "." + text.dropFirst() }
            out += "E" + (adjustedExponent >= 0 ? "+" : "") + String(adjustedExponent)
            return out
        }
        if exponent == 0 { return text }
        // Plain notation with a decimal point.
        let fractionDigits = -exponent
        if digits.count > fractionDigits {
            let split = digits.count - fractionDigits
            return String(text.prefix(split)) + "." + String(text.dropFirst(split))
        }
        return "0." + String(repeating: "0", count: fractionDigits - digits.count) + text
    }
}
