import PMBSON

/// How rules write their numbers: in messages, integral values without `.0` (`0`, `100`),
/// others as Swift prints them (`2.5`); in descriptions, `0` rather than `0.0` for a bound
/// written as an integer.
enum NumberText {
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9.2e18 {
            return String(Int64(value))
        }
        return String(value)
    }

    static func bson(_ value: Double) -> BSON {
        if let integral = Int64(exactly: value) { return .int64(integral) }
        return .double(value)
    }
}
