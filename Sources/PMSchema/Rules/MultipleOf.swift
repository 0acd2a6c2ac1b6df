import PMBSON

/// `multiple_of` of `number` and `integer` fields: the value divided by it must be a whole
/// number: `price must be a multiple of 0.01`. Decimal, as the numbers are written: a double
/// is taken at its shortest decimal spelling (`19.99`, not the binary fraction nearest to
/// it), so `19.99` is a multiple of `0.01` and `0.3` of `0.1`.
struct MultipleOf: FieldRule {
    static let keys = ["multiple_of"]

    let divisor: Double
    private let decimalDivisor: DecimalNumber

    init?(_ divisor: Double) {
        guard divisor.isFinite, divisor > 0, let decimal = DecimalNumber(divisor) else { return nil }
        self.divisor = divisor
        self.decimalDivisor = decimal
    }

    static func applies(to type: FieldType) -> Bool { type == .number || type == .integer }

    static func read(_ settings: inout FieldSettings) -> MultipleOf? {
        guard let node = settings["multiple_of"], let divisor = node.number() else { return nil }
        guard let rule = MultipleOf(divisor) else {
            node.report("must be more than 0")
            settings.isValid = false
            return nil
        }
        return rule
    }

    func failure(for value: BSON) -> String? {
        let decimal: DecimalNumber?
        switch value {
        case .int32(let int): decimal = DecimalNumber(integer: Int64(int))
        case .int64(let int): decimal = DecimalNumber(integer: int)
        case .double(let double): decimal = DecimalNumber(double)
        default: decimal = nil
        }
        guard let decimal, decimal.isMultiple(of: decimalDivisor) else {
            return " must be a multiple of \(NumberText.format(divisor))"
        }
        return nil
    }

    func accepts(_ value: EncodedValue) -> Bool {
        guard case .scalar(let scalar) = value else { return false }
        return failure(for: scalar) == nil
    }

    func describe(into description: inout BSONDocument) {
        description.append("multiple_of", NumberText.bson(divisor))
    }

    /// (A validator dividing binary doubles may refuse `19.99` for `0.01`, which the gateway,
    /// dividing decimals, accepts.)
    func jsonSchema(into schema: inout BSONDocument) {
        schema.append("multipleOf", NumberText.bson(divisor))
    }
}

/// A finite number as `significand × 10^exponent`, exactly as its shortest decimal spelling
/// writes it.
struct DecimalNumber: Equatable {
    var significand: UInt64
    var exponent: Int

    init(significand: UInt64, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    init(integer: Int64) {
        significand = integer.magnitude
        exponent = 0
    }

    /// `nil` for NaN and infinities.
    init?(_ double: Double) {
        guard double.isFinite else { return nil }
        // Swift prints the shortest spelling that reads back as the same double: `19.99`,
        // `1e-05`, `1.5e+300` (at most 17 significant digits, so the digits fit in 64 bits).
        var digits: UInt64 = 0
        var exponent = 0
        var seenPoint = false
        var text = Substring(double.magnitude.description)
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let power = Int(text[text.index(after: e)...]) else { return nil }
            exponent = power
            text = text[..<e]
        }
        for character in text {
            if character == "." {
                seenPoint = true
                continue
            }
            guard let digit = character.wholeNumberValue else { return nil }
            let (times, overflow1) = digits.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            digits = sum
            if seenPoint { exponent -= 1 }
        }
        significand = digits
        self.exponent = exponent
    }

    /// Whether `self / divisor` is a whole number (`divisor` is not zero).
    func isMultiple(of divisor: DecimalNumber) -> Bool {
        if significand == 0 { return true }
        // Both over the smaller exponent: self = a × 10^k, divisor = b × 10^j, one of k, j is 0.
        let common = min(exponent, divisor.exponent)
        // A divisor beyond 64 bits once scaled is larger than a, which fits in 64 bits.
        guard let modulus = Self.scaled(divisor.significand, by: divisor.exponent - common) else { return false }
        // (a × 10^k) mod b, one power of ten at a time.
        var remainder = significand % modulus
        for _ in 0..<(exponent - common) where remainder != 0 {
            remainder = modulus.dividingFullWidth(remainder.multipliedFullWidth(by: 10)).remainder
        }
        return remainder == 0
    }

    private static func scaled(_ value: UInt64, by power: Int) -> UInt64? {
        var result = value
        for _ in 0..<power {
            let (next, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }
}
