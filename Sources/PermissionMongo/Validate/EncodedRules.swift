import PMBSON

/// A field's `FieldRule`s laid out flat for the byte path: each check gives the same
/// answer as `FieldRule.failure(for:)` when it passes, without copying the rules.
/// `nil` from `init` when a rule kind repeats (the model path then handles the schema).
struct EncodedRules: Sendable {
    private(set) var isEmpty = true
    private var minimum: Double?
    private var maximum: Double?
    private var minLength: Int?
    private var maxLength: Int?
    /// The `enum` members, and those that are strings as UTF-8 bytes.
    private var members: [BSON]?
    private var stringMembers: [[UInt8]] = []
    /// In a box, so that checking it does not copy the pattern (its `Regex`, source and atoms).
    private var pattern: PatternBox?

    private final class PatternBox: Sendable {
        let pattern: FieldPattern
        init(_ pattern: FieldPattern) { self.pattern = pattern }
    }

    init?(_ rules: [FieldRule]) {
        for rule in rules {
            isEmpty = false
            switch rule {
            case .minimum(let bound, _):
                guard minimum == nil else { return nil }
                minimum = bound
            case .maximum(let bound, _):
                guard maximum == nil else { return nil }
                maximum = bound
            case .minLength(let length, _):
                guard minLength == nil else { return nil }
                minLength = length
            case .maxLength(let length, _):
                guard maxLength == nil else { return nil }
                maxLength = length
            case .oneOf(let values, _):
                guard members == nil else { return nil }
                members = values
                for case .string(let member) in values { stringMembers.append(Array(member.utf8)) }
            case .pattern(let compiled, _):
                guard pattern == nil else { return nil }
                pattern = PatternBox(compiled)
            }
        }
    }

    /// A number, boolean, date or ObjectId (lengths of such values are 0).
    func scalarPasses(_ value: BSON) -> Bool {
        if let minimum {
            guard let order = NumericComparison.compare(value, to: minimum), order >= 0 else { return false }
        }
        if let maximum {
            guard let order = NumericComparison.compare(value, to: maximum), order <= 0 else { return false }
        }
        if let minLength, 0 < minLength { return false }
        if let maxLength, 0 > maxLength { return false }
        if members != nil, !members.unsafelyUnwrapped.contains(where: { NumericComparison.equal(value, $0) }) { return false }
        return pattern == nil
    }

    /// A string's UTF-8 bytes. An `enum` member that is not byte-equal is left to the model.
    func stringPasses(_ text: UnsafeRawBufferPointer) -> Bool {
        if minimum != nil || maximum != nil { return false }
        if let minLength, StringLength.isShorter(utf8Count: text.count, than: minLength, scalars: { StringLength.scalarCount(text) }) {
            return false
        }
        if let maxLength, StringLength.isLonger(utf8Count: text.count, than: maxLength, scalars: { StringLength.scalarCount(text) }) {
            return false
        }
        if members != nil, !stringMembers.contains(where: { EncodedKeys.equal($0, text) }) { return false }
        if let pattern, pattern.pattern.matchesWithoutRegex(utf8: text.assumingMemoryBound(to: UInt8.self)) != true {
            return false
        }
        return true
    }

    /// An array of `count` items: only item counts are checked here.
    func arrayPasses(count: Int) -> Bool {
        if minimum != nil || maximum != nil || members != nil || pattern != nil { return false }
        if let minLength, count < minLength { return false }
        if let maxLength, count > maxLength { return false }
        return true
    }
}
