import PMBSON

/// Exact ordering of BSON numbers against a `Double` bound, without Int64 → Double rounding.
enum NumericComparison {
    /// -1, 0 or 1 as `value` is below, at or above `bound`; `nil` when either is no number or NaN.
    static func compare(_ value: BSON, to bound: Double) -> Int? {
        guard !bound.isNaN else { return nil }
        switch value {
        case .int32(let int): return compare(Int64(int), to: bound)
        case .int64(let int): return compare(int, to: bound)
        case .double(let double): return double.isNaN ? nil : (double < bound ? -1 : (double > bound ? 1 : 0))
        default: return nil
        }
    }

    /// `bound` must not be NaN.
    static func compare(_ int: Int64, to bound: Double) -> Int {
        if bound >= 9_223_372_036_854_775_808.0 { return -1 }
        if bound < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = bound.rounded(.towardZero)
        let wholeInt = Int64(whole)
        if int != wholeInt { return int < wholeInt ? -1 : 1 }
        let fraction = bound - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// Equality across int32 / int64 / double, as MongoDB compares numbers; other values must be identical.
    static func equal(_ a: BSON, _ b: BSON) -> Bool {
        switch (a, b) {
        case (.int32, .int32), (.int32, .int64), (.int64, .int32), (.int64, .int64):
            return integer(a) == integer(b)
        case (.int32, .double(let bound)), (.int64, .double(let bound)):
            return compare(a, to: bound) == 0
        case (.double(let bound), .int32), (.double(let bound), .int64):
            return compare(b, to: bound) == 0
        default:
            return a == b
        }
    }

    private static func integer(_ value: BSON) -> Int64? {
        switch value {
        case .int32(let int): Int64(int)
        case .int64(let int): int
        default: nil
        }
    }
}
