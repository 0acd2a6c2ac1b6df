import PMBSON

/// `min` / `max` of `number` and `integer` fields, compared exactly (an int64 is never
/// rounded to a double): `price must be at least 0`, `qty must be at most 100`.
struct NumberRange: FieldRule {
    static let keys = ["min", "max"]

    let minimum: Double?
    let maximum: Double?
    private let minimumMessage: String
    private let maximumMessage: String

    init(minimum: Double?, maximum: Double?) {
        self.minimum = minimum
        self.maximum = maximum
        minimumMessage = minimum.map { " must be at least \(NumberText.format($0))" } ?? ""
        maximumMessage = maximum.map { " must be at most \(NumberText.format($0))" } ?? ""
    }

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
        if let minimum {
            guard let order = NumericComparison.compare(value, to: minimum), order >= 0 else { return minimumMessage }
        }
        if let maximum {
            guard let order = NumericComparison.compare(value, to: maximum), order <= 0 else { return maximumMessage }
        }
        return nil
    }

    func accepts(_ value: EncodedValue) -> Bool {
        guard case .scalar(let scalar) = value else { return false }
        return failure(for: scalar) == nil
    }

    func describe(into description: inout BSONDocument) {
        if let minimum { description.append("min", NumberText.bson(minimum)) }
        if let maximum { description.append("max", NumberText.bson(maximum)) }
    }
}
