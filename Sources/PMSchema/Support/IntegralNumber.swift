import PMBSON

/// Integers of an `integer` field: int32 / int64 as they are, integral doubles converted.
enum IntegralNumber {
    static func int64(exactly double: Double) -> Int64? {
        guard double.isFinite, double == double.rounded(),
              double >= -9_223_372_036_854_775_808.0, double < 9_223_372_036_854_775_808.0
        else { return nil }
        return Int64(double)
    }

    /// int32 when it fits, int64 otherwise.
    static func narrowest(_ value: Int64) -> BSON {
        if let small = Int32(exactly: value) { return .int32(small) }
        return .int64(value)
    }

    /// `value` as an int32 / int64 BSON value, or `nil` when it is not an integer.
    static func normalized(_ value: BSON) -> BSON? {
        switch value {
        case .int32, .int64:
            return value
        case .double(let double):
            return int64(exactly: double).map(narrowest)
        default:
            return nil
        }
    }
}
