import PMBSON

/// What an update sent to MongoDB as operators (without the stored document) may rely on:
/// a value the field stores exactly as given, and increments that cannot break a rule.
extension FieldSchema {
    /// Whether `value` would be stored unchanged and valid: of the field's type without any
    /// normalising (an integral double in an `integer` field is converted, so it is not
    /// taken as is), passing every rule, its content too (nested fields, items, defaults
    /// appended inside count as changes). `null` only when the field is not required.
    public func acceptsAsIs(_ value: BSON) -> Bool {
        if case .null = value { return !isRequired }
        if case .pass = inspect(value, path: { name }) { return true }
        return false
    }

    /// Whether the field has no value rule (`min`, `max_length`, `enum`, …).
    public var hasNoRules: Bool { rules.isEmpty }

    /// Whether adding `operand` (`$inc`) to any valid stored number keeps it valid: no rule
    /// but a `min` when `operand` is not negative, or a `max` when it is not positive.
    public func staysValid(incrementedBy operand: BSON) -> Bool {
        rules.allSatisfy { rule in
            guard let range = rule as? NumberRange else { return false }
            if range.maximum == nil, NumericComparison.compare(operand, to: 0).map({ $0 >= 0 }) == true { return true }
            if range.minimum == nil, NumericComparison.compare(operand, to: 0).map({ $0 <= 0 }) == true { return true }
            return false
        }
    }
}
