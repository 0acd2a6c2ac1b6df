import PMBSON

/// `$inc` / `$mul` with MongoDB's numeric rules (SafeNum): int32 op int32 stays int32
/// unless it overflows (then int64); int32/int64 mixed gives int64; an int64 overflow
/// is an error; anything with a double gives a double. decimal128 is not supported.
enum UpdateArithmetic {
    static func isNumber(_ value: BSON) -> Bool {
        switch value {
        case .int32, .int64, .double: true
        default: false
        }
    }

    /// `nil` when the 64-bit integer result overflows.
    static func add(_ a: BSON, _ b: BSON) -> BSON? {
        switch (a, b) {
        case (.int32(let x), .int32(let y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? .int64(Int64(x) + Int64(y)) : .int32(sum)
        default:
            if let x = integer(a), let y = integer(b) {
                let (sum, overflow) = x.addingReportingOverflow(y)
                return overflow ? nil : .int64(sum)
            }
            return .double(double(a) + double(b))
        }
    }

    /// `nil` when the 64-bit integer result overflows.
    static func multiply(_ a: BSON, _ b: BSON) -> BSON? {
        switch (a, b) {
        case (.int32(let x), .int32(let y)):
            let product = Int64(x) * Int64(y)
            if let small = Int32(exactly: product) { return .int32(small) }
            return .int64(product)
        default:
            if let x = integer(a), let y = integer(b) {
                let (product, overflow) = x.multipliedReportingOverflow(by: y)
                return overflow ? nil : .int64(product)
            }
            return .double(double(a) * double(b))
        }
    }

    /// What `$mul` stores in a missing field: zero of the multiplier's type.
    static func zero(like value: BSON) -> BSON {
        switch value {
        case .int32: .int32(0)
        case .int64: .int64(0)
        default: .double(0)
        }
    }

    private static func integer(_ value: BSON) -> Int64? {
        switch value {
        case .int32(let i): Int64(i)
        case .int64(let i): i
        default: nil
        }
    }

    private static func double(_ value: BSON) -> Double {
        switch value {
        case .int32(let i): Double(i)
        case .int64(let i): Double(i)
        case .double(let d): d
        default: .nan
        }
    }
}
