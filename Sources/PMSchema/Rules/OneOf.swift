import PMBSON
import PMConfigFiles

/// `enum: [...]`: the value must equal one of the listed values, numbers compared across
/// int32, int64 and double as MongoDB compares them: `category must be one of [widgets, gadgets]`.
/// The values are literals of the field's type, normalised like document values.
struct OneOf: FieldRule {
    static let keys = ["enum"]

    /// One reference, so that the rule is small enough to be stored inline.
    private let members: Members

    private final class Members: Sendable {
        let values: [BSON]
        /// The members that are strings, as UTF-8 bytes (the byte path compares those).
        let strings: [[UInt8]]
        let message: String

        init(values: [BSON], shown: [String]) {
            self.values = values
            var strings: [[UInt8]] = []
            for case .string(let member) in values { strings.append(Array(member.utf8)) }
            self.strings = strings
            message = " must be one of [\(shown.joined(separator: ", "))]"
        }
    }

    /// `shown`: the values as the configuration wrote them, for the message.
    init(values: [BSON], shown: [String]) {
        members = Members(values: values, shown: shown)
    }

    var values: [BSON] { members.values }

    static func applies(to type: FieldType) -> Bool { type.kind.isScalar }

    static func read(_ settings: inout FieldSettings) -> OneOf? {
        guard let node = settings["enum"] else { return nil }
        guard case .sequence(let sequence) = node.node, !sequence.isEmpty else {
            node.report("must be a non-empty list of values")
            settings.isValid = false
            return nil
        }
        let typeOnly = FieldSchema(name: settings.name, type: settings.type)
        var values: [BSON] = []
        var shown: [String] = []
        var ok = true
        for (index, element) in sequence.enumerated() {
            let item = node.item(index, element)
            guard var value = YAMLLiteral.value(of: item) else { ok = false; continue }
            if let violation = typeOnly.check(&value, path: { settings.name }) {
                item.report(violation.message)
                ok = false
                continue
            }
            values.append(value)
            shown.append(Self.shown(value, node: item))
        }
        guard ok else {
            settings.isValid = false
            return nil
        }
        return OneOf(values: values, shown: shown)
    }

    /// How a value is shown in the message: strings as written, numbers without `.0`.
    private static func shown(_ value: BSON, node: ConfigNode) -> String {
        switch value {
        case .int32(let int): String(int)
        case .int64(let int): String(int)
        case .double(let double): NumberText.format(double)
        case .bool(let bool): String(bool)
        case .objectId(let id): id.hex
        default: node.node.scalar?.string ?? ""
        }
    }

    func failure(for value: BSON) -> String? {
        members.values.contains(where: { NumericComparison.equal(value, $0) }) ? nil : members.message
    }

    /// A string that is not byte-equal to a member is left to the model (Unicode equivalence).
    func accepts(_ value: EncodedValue) -> Bool {
        switch value {
        case .scalar(let scalar): members.values.contains(where: { NumericComparison.equal(scalar, $0) })
        case .string(let text): members.strings.contains(where: { bsonKeysEqual($0, text) })
        case .array: false
        }
    }

    func describe(into description: inout BSONDocument) {
        description.append("enum", .array(members.values))
    }

    /// The values as JSON writes them (dates as ISO-8601, ids as hex); numbers compare by value.
    func jsonSchema(into schema: inout BSONDocument) {
        schema.append("enum", .array(members.values))
    }
}
