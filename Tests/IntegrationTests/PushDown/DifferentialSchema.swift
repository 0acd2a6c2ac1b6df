import PMTestKit

extension SplitMix {
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func within(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
}

/// One field of a generated collection schema, with the values that pass and break it
/// (as JSON text, as a client sends them).
struct GeneratedField {
    enum Kind: String { case string, integer, number, boolean, date, array, object }

    var name: String
    var kind: Kind
    var required = false
    var unique = false
    var defaultValue: String?
    var min: Int?
    var max: Int?
    var minLength: Int?
    var maxLength: Int?
    var enumValues: [String]?
    /// Arrays: the items' type (nil: any items) and a `min` on integer items.
    var items: Kind?
    var itemMin: Int?

    static let strings = ["a", "b", "ab", "abc", "red", "blue", "xyz", "abcdef", "hello world", "", "é", "Zz"]
    static let dates = [
        "2001-02-03T04:05:06Z", "2005-06-07T00:00:00Z", "2010-01-01T00:00:00Z", "2012-12-12T12:12:12.500Z",
        "2015-03-04T05:06:07Z", "2019-11-30T23:59:59Z",
    ]

    var isNumeric: Bool { kind == .integer || kind == .number }

    /// Whether values and operands near the 64-bit limit are generated for the field (an
    /// overflowing `$inc`/`$mul` that MongoDB refuses goes the read–modify–write way).
    var takesHugeIntegers: Bool { true }

    /// An `$inc`/`$mul` operand: small, fractional, or (`huge`) near the 32- and 64-bit limits.
    func operand(_ rng: inout SplitMix, huge: Bool) -> String {
        if huge && takesHugeIntegers {
            return rng.pick(["2147483647", "3000000000", "9223372036854775000", "-9223372036854775807"])
        }
        return kind == .integer ? "\(rng.within(-3, 5))" : rng.pick(["1", "-2", "0.5", "3", "-0.0"])
    }
    var hasBounds: Bool { min != nil || max != nil }

    var yaml: String {
        var rules = ["type: \(kind.rawValue)"]
        if required { rules.append("required: true") }
        if unique { rules.append("unique: true") }
        if let defaultValue { rules.append("default: \(defaultValue)") }
        if let min { rules.append("min: \(min)") }
        if let max { rules.append("max: \(max)") }
        if let minLength { rules.append("min_length: \(minLength)") }
        if let maxLength { rules.append("max_length: \(maxLength)") }
        if let enumValues { rules.append("enum: [\(enumValues.joined(separator: ", "))]") }
        if let items { rules.append("items: { type: \(items.rawValue)\(itemMin.map { ", min: \($0)" } ?? "") }") }
        if kind == .object { rules.append("fields: { w: { type: number }, t: { type: string, max_length: 3 } }") }
        return "\(name): { \(rules.joined(separator: ", ")) }"
    }

    // MARK: values

    /// A value the field accepts (sometimes in a form checking converts: `4.0` for an integer).
    func valid(_ rng: inout SplitMix) -> String {
        if !required && !unique && rng.chance(6) { return "null" }
        switch kind {
        case .string:
            if let enumValues { return "\"\(rng.pick(enumValues))\"" }
            let fitting = Self.strings.filter { $0.count >= (minLength ?? 0) && $0.count <= (maxLength ?? 100) }
            return "\"\(rng.pick(fitting))\""
        case .integer:
            if max == nil && enumValues == nil && rng.chance(12) {
                return takesHugeIntegers
                    ? rng.pick(["2147483600", "3000000000", "9223372036854775000", "9223372036854775807"]) : "2147483600"
            }
            let value = rng.within(min ?? -5, max ?? 40)
            return rng.chance(10) ? "\(value).0" : "\(value)"
        case .number:
            if !hasBounds && rng.chance(10) {
                return rng.pick(["2147483600", "1e300", "-0.0"] + (takesHugeIntegers ? ["9223372036854775807"] : []))
            }
            let value = rng.within(min ?? -5, max ?? 40)
            return rng.chance(40) && value >= 0 && value < (max ?? 40) ? "\(value).5" : "\(value)"
        case .boolean: return rng.pick(["true", "false"])
        case .date: return "\"\(rng.pick(Self.dates))\""
        case .array:
            let count = rng.within(minLength ?? 0, Swift.min(maxLength ?? 4, 4))
            return "[" + (0..<count).map { _ in item(&rng) }.joined(separator: ",") + "]"
        case .object:
            var parts: [String] = []
            if rng.chance(70) { parts.append("\"w\":\(rng.pick(["1", "2.5", "-3", "10"]))") }
            if rng.chance(50) { parts.append("\"t\":\"\(rng.pick(["a", "ab", "xyz"]))\"") }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }

    /// An item the array's `items` schema accepts.
    func item(_ rng: inout SplitMix) -> String {
        switch items {
        case .string: "\"\(rng.pick(["a", "b", "c", "dd"]))\""
        case .integer: "\(rng.within(itemMin ?? -2, 9))"
        default: rng.pick(["1", "1.0", "\"a\"", "true", "2.5", "null", "{\"x\":1,\"y\":2}", "{\"y\":2,\"x\":1}", "[1,2]"])
        }
    }

    /// An item the array's `items` schema refuses (any item when it has none).
    func badItem(_ rng: inout SplitMix) -> String {
        switch items {
        case .string: rng.pick(["1", "true"])
        case .integer: rng.pick(["\"a\"", "1.5", itemMin.map { "\($0 - 1)" } ?? "\"b\""])
        default: item(&rng)
        }
    }

    /// A value the field refuses: the wrong type, or one breaking a rule.
    func invalid(_ rng: inout SplitMix) -> String {
        var choices: [String] = []
        if required { choices.append("null") }
        switch kind {
        case .string:
            choices += ["7", "true"]
            if let enumValues { choices.append(enumValues.contains("purple") ? "\"x\"" : "\"purple\"") }
            if let maxLength { choices.append("\"" + String(repeating: "z", count: maxLength + 1) + "\"") }
            if let minLength, minLength > 0 { choices.append("\"\"") }
        case .integer:
            choices += ["\"x\"", "2.5"]
            if let min { choices.append("\(min - 1)") }
            if let max { choices.append("\(max + 1)") }
        case .number:
            choices += ["\"x\"", "[1]"]
            if let min { choices.append("\(min - 1).5") }
            if let max { choices.append("\(max + 1)") }
        case .boolean: choices += ["\"yes\"", "1"]
        case .date: choices += ["\"not a date\"", "5"]
        case .array:
            choices += ["\"x\"", "[\(badItem(&rng))]"]
            if let maxLength { choices.append("[" + (0...maxLength).map { _ in item(&rng) }.joined(separator: ",") + "]") }
        case .object: choices += ["5", "{\"w\":\"x\"}", "{\"t\":\"long text\"}"]
        }
        return rng.pick(choices)
    }
}

/// A generated collection: fields (led by the sequence field `k` updates never touch),
/// undeclared fields allowed or not, versioning, soft delete.
struct GeneratedSchema {
    var fields: [GeneratedField]
    var additionalFields: Bool
    /// nil: versioning off; else `full` or `diff`.
    var versioningMode: String?
    var maxVersions: Int?
    var softDelete: Bool

    /// The fields updates may name (all but `k`).
    var updatable: [GeneratedField] { fields.filter { $0.name != "k" } }

    init(_ rng: inout SplitMix) {
        var fields = [GeneratedField(name: "k", kind: .integer, required: true)]
        func scalar(_ name: String, _ kind: GeneratedField.Kind, _ rng: inout SplitMix) -> GeneratedField {
            var field = GeneratedField(name: name, kind: kind)
            if rng.chance(20) { field.required = true }
            return field
        }
        if rng.chance(80) {
            var s = scalar("s", .string, &rng)
            if rng.chance(30) { s.minLength = 1 }
            if rng.chance(40) { s.maxLength = 5 }
            if !s.required && rng.chance(25) { s.defaultValue = "\"ab\"" }
            fields.append(s)
        }
        if rng.chance(60) {
            var e = scalar("e", .string, &rng)
            e.enumValues = ["red", "green", "blue"]
            if !e.required && rng.chance(30) { e.defaultValue = "green" }
            fields.append(e)
        }
        var i = scalar("i", .integer, &rng)
        if !i.required && rng.chance(20) { i.defaultValue = "3" }
        fields.append(i)
        if rng.chance(60) {
            var bounded = scalar("j", .integer, &rng)
            bounded.min = 0
            if rng.chance(60) { bounded.max = 30 }
            fields.append(bounded)
        }
        var n = scalar("n", .number, &rng)
        if rng.chance(35) { n.min = -10; n.max = 100 }
        fields.append(n)
        if rng.chance(60) { fields.append(scalar("b", .boolean, &rng)) }
        if rng.chance(60) { fields.append(scalar("d", .date, &rng)) }
        var tags = GeneratedField(name: "tags", kind: .array, items: .string)
        if rng.chance(30) { tags.maxLength = 5 }
        fields.append(tags)
        if rng.chance(60) {
            var nums = GeneratedField(name: "nums", kind: .array, items: .integer)
            if rng.chance(50) { nums.itemMin = 0 }
            fields.append(nums)
        }
        if rng.chance(40) { fields.append(GeneratedField(name: "free", kind: .array)) }
        if rng.chance(50) { fields.append(GeneratedField(name: "o", kind: .object)) }
        if rng.chance(35) { fields.append(GeneratedField(name: "u", kind: .string, unique: true)) }
        self.fields = fields
        additionalFields = rng.chance(60)
        versioningMode = rng.pick([nil, "full", "diff"])
        maxVersions = versioningMode != nil && rng.chance(30) ? 3 : nil
        softDelete = rng.chance(40)
    }

    func field(_ name: String) -> GeneratedField? { fields.first { $0.name == name } }

    /// The `collections.<name>` block.
    func yaml(_ name: String, pushDown: Bool) -> String {
        var lines = ["\(name):", "  fields:"]
        lines += fields.map { "    " + $0.yaml }
        lines.append("  additional_fields: \(additionalFields ? "allow" : "reject")")
        if let versioningMode {
            lines.append("  versioning: { enabled: true, mode: \(versioningMode)\(maxVersions.map { ", max_versions: \($0)" } ?? "") }")
        }
        if softDelete { lines.append("  soft_delete: true") }
        if !pushDown { lines.append("  push_down: false") }
        return lines.joined(separator: "\n")
    }

    /// A stored document with sequence number `k` (always valid; `u` is unique by `k`).
    func document(k: Int, _ rng: inout SplitMix) -> String {
        var parts = ["\"k\":\(k)"]
        for field in updatable where field.required || rng.chance(field.defaultValue == nil ? 75 : 50) {
            parts.append("\"\(field.name)\":" + (field.unique ? "\"u\(k)\"" : field.valid(&rng)))
        }
        if additionalFields && rng.chance(30) { parts.append("\"x\":\(rng.pick(["1", "\"x\"", "[1,2]"]))") }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
