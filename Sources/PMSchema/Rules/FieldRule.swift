import PMBSON
import PMConfigFiles

/// One value rule of a field, checked after its type, in one file per rule (`NumberRange`,
/// `MultipleOf`, `LengthRange`, `OneOf`, `PatternRule`). A rule reads its own YAML keys,
/// checks a value on the model path and on the byte path, and describes itself (in the words
/// of the configuration and as JSON Schema). Adding a rule is a file of its own and a line in
/// `FieldRules.all`.
protocol FieldRule: Sendable {
    /// Its YAML keys, in the order they are listed.
    static var keys: [String] { get }
    /// Whether its keys may be set on a field of `type`.
    static func applies(to type: FieldType) -> Bool
    /// The rule from a field's settings; `nil` when none of its keys is set, or when a value is
    /// wrong (then it is reported and `settings.isValid` is false).
    static func read(_ settings: inout FieldSettings) -> Self?

    /// The end of the message when `value` (already of the field's type) breaks the rule:
    /// `price` + ` must be at least 0`; `nil` when it passes.
    func failure(for value: BSON) -> String?
    /// The byte path: `true` only when the value surely passes; otherwise the model path decides.
    func accepts(_ value: EncodedValue) -> Bool
    /// Adds its keys and values to the field's description, as the configuration wrote them.
    func describe(into description: inout BSONDocument)
    /// Adds the JSON Schema keywords that say the same (`minimum`, `maxLength`, `enum`, …).
    func jsonSchema(into schema: inout BSONDocument)
}

/// Every rule, in the order a field's rules are read, checked and described.
enum FieldRules {
    static let all: [any FieldRule.Type] = [
        NumberRange.self, MultipleOf.self, LengthRange.self, OneOf.self, PatternRule.self,
    ]

    /// The rules `settings` sets, in `all`'s order.
    static func read(_ settings: inout FieldSettings) -> [any FieldRule] {
        var rules: [any FieldRule] = []
        for kind in all {
            if let rule = kind.read(&settings) { rules.append(rule) }
        }
        return rules
    }

    static var keys: [String] { all.flatMap { $0.keys } }

    /// The rule a key belongs to, when it is a rule key.
    static func owner(of key: String) -> (any FieldRule.Type)? {
        all.first { $0.keys.contains(key) }
    }
}
