import PMBSON

/// Reading the text of a CSV cell: spaces and tabs around it ignored; numbers `12`, `-3`,
/// `+4`, `2.50`, `.5`, `1e6` (integers become int32 or int64, a double when too large;
/// anything with a fraction or exponent a double). No hex, `inf`, `nan` or thousands
/// separators.
enum CellText {
    static func number(_ text: String) -> BSON? {
        guard isNumber(text) else { return nil }
        let isInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if isInteger, let integer = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            return IntegralNumber.narrowest(integer)
        }
        guard let double = Double(text), double.isFinite else { return nil }
        return .double(double)
    }

    /// An integral number as an integer (`3.0` → 3); `nil` for `2.5` or out of range.
    static func integral(_ value: BSON) -> BSON? {
        switch value {
        case .int32, .int64: return value
        case .double(let double):
            guard double == double.rounded(), abs(double) < 9.2e18 else { return nil }
            return IntegralNumber.narrowest(Int64(double))
        default: return nil
        }
    }

    /// `[+-]? (digits (. digits)? | . digits) ([eE] [+-]? digits)?`
    private static func isNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Int {
            var count = 0
            while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                bytes.removeFirst()
                count += 1
            }
            return count
        }
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes.removeFirst() }
        let whole = digits()
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            fraction = digits()
            guard fraction > 0 else { return false }
        }
        guard whole + fraction > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes.removeFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    package var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
