import PMBSON

/// One compiled value rule of a field, checked after its type. Each carries the tail
/// of its message, so a violation is `path + message`.
enum FieldRule: Sendable {
    case minimum(Double, message: String)
    case maximum(Double, message: String)
    /// Strings: Unicode scalars (code points); arrays: items.
    case minLength(Int, message: String)
    case maxLength(Int, message: String)
    case oneOf([BSON], message: String)
    case pattern(FieldPattern, message: String)

    static func minimum(_ bound: Double) -> FieldRule {
        .minimum(bound, message: " must be at least \(NumberText.format(bound))")
    }

    static func maximum(_ bound: Double) -> FieldRule {
        .maximum(bound, message: " must be at most \(NumberText.format(bound))")
    }

    static func minLength(_ length: Int, of type: FieldType) -> FieldRule {
        .minLength(length, message: type == .array ? " must have at least \(length) items" : " must be at least \(length) characters")
    }

    static func maxLength(_ length: Int, of type: FieldType) -> FieldRule {
        .maxLength(length, message: type == .array ? " must have at most \(length) items" : " must be at most \(length) characters")
    }

    /// `shown`: the values as the configuration wrote them, for the message.
    static func oneOf(_ values: [BSON], shown: [String]) -> FieldRule {
        .oneOf(values, message: " must be one of [\(shown.joined(separator: ", "))]")
    }

    static func pattern(_ pattern: FieldPattern) -> FieldRule {
        .pattern(pattern, message: " must match pattern \(pattern.source)")
    }

    /// The message tail when `value` (already of the field's type) breaks this rule; `nil` when it passes.
    func failure(for value: BSON) -> String? {
        switch self {
        case .minimum(let bound, let message):
            guard let order = NumericComparison.compare(value, to: bound), order >= 0 else { return message }
        case .maximum(let bound, let message):
            guard let order = NumericComparison.compare(value, to: bound), order <= 0 else { return message }
        case .minLength(let length, let message):
            if Self.isShorter(value, than: length) { return message }
        case .maxLength(let length, let message):
            if Self.isLonger(value, than: length) { return message }
        case .oneOf(let values, let message):
            if !values.contains(where: { NumericComparison.equal(value, $0) }) { return message }
        case .pattern(let pattern, let message):
            guard case .string(let string) = value, pattern.matches(string) else { return message }
        }
        return nil
    }

    private static func isShorter(_ value: BSON, than length: Int) -> Bool {
        if case .string(let string) = value {
            return StringLength.isShorter(utf8Count: string.utf8.count, than: length) { string.unicodeScalars.count }
        }
        return Self.length(of: value) < length
    }

    private static func isLonger(_ value: BSON, than length: Int) -> Bool {
        if case .string(let string) = value {
            return StringLength.isLonger(utf8Count: string.utf8.count, than: length) { string.unicodeScalars.count }
        }
        return Self.length(of: value) > length
    }

    private static func length(of value: BSON) -> Int {
        switch value {
        case .string(let string): string.unicodeScalars.count
        case .array(let items): items.count
        default: 0
        }
    }
}
