/// Numbers in messages: integral values without `.0` (`0`, `100`), others as Swift prints them (`2.5`).
enum NumberText {
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9.2e18 {
            return String(Int64(value))
        }
        return String(value)
    }
}
