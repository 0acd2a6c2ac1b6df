import PMBSON

/// `pattern:` of `string` fields: the regular expression must be found in the value (use
/// `^…$` for the whole string): `sku must match pattern ^[A-Z]{3}-[0-9]+$`.
struct PatternRule: FieldRule {
    static let keys = ["pattern"]

    /// In a box, so that checking it does not copy the pattern (its `Regex`, source and atoms).
    private let box: Box

    private final class Box: Sendable {
        let pattern: FieldPattern
        let message: String

        init(_ pattern: FieldPattern) {
            self.pattern = pattern
            message = " must match pattern \(pattern.source)"
        }
    }

    init(_ pattern: FieldPattern) {
        box = Box(pattern)
    }

    var pattern: FieldPattern { box.pattern }

    static func applies(to type: FieldType) -> Bool { type == .string }

    static func read(_ settings: inout FieldSettings) -> PatternRule? {
        guard let node = settings["pattern"], let source = node.string() else { return nil }
        do {
            return PatternRule(try FieldPattern(source))
        } catch {
            node.report("invalid regular expression: \(error)")
            settings.isValid = false
            return nil
        }
    }

    func failure(for value: BSON) -> String? {
        guard case .string(let string) = value, box.pattern.matches(string) else { return box.message }
        return nil
    }

    /// Only what the simple matcher decides without `Regex` (printable ASCII, simple shapes).
    func accepts(_ value: EncodedValue) -> Bool {
        guard case .string(let text) = value else { return false }
        return box.pattern.matchesWithoutRegex(utf8: text.assumingMemoryBound(to: UInt8.self)) == true
    }

    func describe(into description: inout BSONDocument) {
        description.append("pattern", .string(box.pattern.source))
    }

    /// Found anywhere in the value, as JSON Schema's `pattern` is.
    func jsonSchema(into schema: inout BSONDocument) {
        schema.append("pattern", .string(box.pattern.source))
    }
}
