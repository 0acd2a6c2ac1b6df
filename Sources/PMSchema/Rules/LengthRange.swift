import PMBSON

/// `min_length` / `max_length`: Unicode scalars (code points) of a `string`, items of an
/// `array`: `name must be at least 3 characters`, `tags must have at most 5 items`.
struct LengthRange: FieldRule {
    static let keys = ["min_length", "max_length"]

    let minimum: Int?
    let maximum: Int?
    /// An array's items (else a string's characters), for the messages.
    let countsItems: Bool

    init(minimum: Int?, maximum: Int?, of type: FieldType) {
        self.minimum = minimum
        self.maximum = maximum
        countsItems = type == .array
    }

    private var minimumMessage: String {
        countsItems ? " must have at least \(minimum ?? 0) items" : " must be at least \(minimum ?? 0) characters"
    }

    private var maximumMessage: String {
        countsItems ? " must have at most \(maximum ?? 0) items" : " must be at most \(maximum ?? 0) characters"
    }

    static func applies(to type: FieldType) -> Bool { type == .string || type == .array }

    static func read(_ settings: inout FieldSettings) -> LengthRange? {
        let minimum = settings["min_length"].flatMap { $0.int(atLeast: 0) }
        let maximum = settings["max_length"].flatMap { $0.int(atLeast: 0) }
        if let minimum, let maximum, minimum > maximum {
            settings["max_length"]?.report("must not be less than min_length")
            settings.isValid = false
        }
        guard minimum != nil || maximum != nil else { return nil }
        return LengthRange(minimum: minimum, maximum: maximum, of: settings.type)
    }

    func failure(for value: BSON) -> String? {
        switch value {
        case .string(let string):
            let bytes = string.utf8.count
            if let minimum, StringLength.isShorter(utf8Count: bytes, than: minimum, scalars: { string.unicodeScalars.count }) {
                return minimumMessage
            }
            if let maximum, StringLength.isLonger(utf8Count: bytes, than: maximum, scalars: { string.unicodeScalars.count }) {
                return maximumMessage
            }
            return nil
        case .array(let items):
            return failure(count: items.count)
        default:
            return failure(count: 0)
        }
    }

    func accepts(_ value: EncodedValue) -> Bool {
        switch value {
        case .string(let text):
            if let minimum, StringLength.isShorter(utf8Count: text.count, than: minimum, scalars: { StringLength.scalarCount(text) }) {
                return false
            }
            if let maximum, StringLength.isLonger(utf8Count: text.count, than: maximum, scalars: { StringLength.scalarCount(text) }) {
                return false
            }
            return true
        case .array(let count):
            return passes(count: count)
        case .scalar:
            return passes(count: 0)
        }
    }

    private func failure(count: Int) -> String? {
        if let minimum, count < minimum { return minimumMessage }
        if let maximum, count > maximum { return maximumMessage }
        return nil
    }

    private func passes(count: Int) -> Bool {
        !(minimum.map { count < $0 } ?? false) && !(maximum.map { count > $0 } ?? false)
    }

    func describe(into description: inout BSONDocument) {
        if let minimum { description.append("min_length", .int64(Int64(minimum))) }
        if let maximum { description.append("max_length", .int64(Int64(maximum))) }
    }

    /// `minItems`/`maxItems` for an array; `minLength`/`maxLength` count code points too.
    func jsonSchema(into schema: inout BSONDocument) {
        if let minimum { schema.append(countsItems ? "minItems" : "minLength", .int64(Int64(minimum))) }
        if let maximum { schema.append(countsItems ? "maxItems" : "maxLength", .int64(Int64(maximum))) }
    }
}
