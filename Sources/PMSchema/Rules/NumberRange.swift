import PMBSON

/// `min` / `max` of `number` and `integer` fields, compared exactly (an int64 is never
/// rounded to a double): `price must be at least 0`, `qty must be at most 100`.
struct NumberRange: FieldRule {
    static let keys = ["min", "max"]

    let minimum: Double?
    let maximum: Double?

    static func applies(to type: FieldType) -> Bool { type == .number || type == .integer }

    static func read(_ settings: inout FieldSettings) -> NumberRange? {
        let minimum = settings["min"].flatMap { $0.number() }
        let maximum = settings["max"].flatMap { $0.number() }
        if let minimum, let maximum, minimum > maximum {
            settings["max"]?.report("must not be less than min")
            settings.isValid = false
        }
        guard minimum != nil || maximum != nil else { return nil }
        return NumberRange(minimum: minimum, maximum: maximum)
    }

    func failure(for value: BSON) -> String? {
        if let minimum, !Self.isAtLeast(value, minimum) { return " must be at least \(NumberText.format(minimum))" }
        if let maximum, !Self.isAtMost(value, maximum) { return " must be at most \(NumberText.format(maximum))" }
        return nil
    }

    func accepts(_ value: EncodedValue) -> Bool {
        guard case .scalar(let scalar) = value else { return false }
        if let minimum, !Self.isAtLeast(scalar, minimum) { return false }
        if let maximum, !Self.isAtMost(scalar, maximum) { return false }
        return true
    }

    private static func isAtLeast(_ value: BSON, _ bound: Double) -> Bool {
        guard let order = NumericComparison.compare(value, to: bound) else { return false }
        return order >= 0
    }

    private static func isAtMost(_ value: BSON, _ bound: Double) -> Bool {
        guard let order = NumericComparison.compare(value, to: bound) else { return false }
        return order <= 0
    }

    func describe(into description: inout BSONDocument) {
        if let minimum { description.append("min", NumberText.bson(minimum)) }
        if let maximum { description.append("max", NumberText.bson(maximum)) }
    }

    /// Inclusive, as `min` and `max` are.
    func jsonSchema(into schema: inout BSONDocument) {
        if let minimum { schema.append("minimum", NumberText.bson(minimum)) }
        if let maximum { schema.append("maximum", NumberText.bson(maximum)) }
    }
}
