/// A name compared against document keys without hashing: `String ==` (canonical
/// equivalence, as Swift compares strings everywhere else), with a
/// length pre-filter that is only trusted when both sides are ASCII (ASCII strings are
/// equivalent exactly when their bytes are equal; other strings may be equivalent at
/// different UTF-8 lengths, e.g. U+212A KELVIN SIGN and `K`).
struct FieldName: Sendable {
    let string: String
    let utf8Count: Int
    let isASCII: Bool

    init(_ string: String) {
        self.string = string
        self.utf8Count = string.utf8.count
        self.isASCII = Self.isASCII(string)
    }

    static func isASCII(_ string: String) -> Bool {
        for byte in string.utf8 where byte >= 0x80 { return false }
        return true
    }

    /// `key == string`. `keyCount` is `key.utf8.count`; `keyIsASCII` is filled in on first need.
    @inline(__always)
    func matches(_ key: String, count keyCount: Int, keyIsASCII: inout Bool?) -> Bool {
        if keyCount == utf8Count { return key == string }
        if isASCII {
            let ascii: Bool
            if let known = keyIsASCII {
                ascii = known
            } else {
                ascii = Self.isASCII(key)
                keyIsASCII = ascii
            }
            if ascii { return false }
        }
        return key == string
    }
}
