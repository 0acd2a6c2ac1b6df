import PMBSON

/// What `date` and `objectid` share: JSON has no such values, so clients spell them as
/// strings (ISO-8601, 24 hex digits) that the gateway converts wherever a value of the field
/// is read — documents, update values, filter literals — and a CSV cell is checked, then
/// sent as the string.
protocol TextSpelledKind: FieldKind {
    /// Whether `value` is already the stored type.
    func isStored(_ value: BSON) -> Bool
    /// The stored value a string spells, or `nil`.
    func converted(_ text: String) -> BSON?
}

extension TextSpelledKind {
    func match(_ value: BSON) -> TypeMatch {
        if isStored(value) { return .yes }
        if case .string = value { return .normalize }
        return .no
    }

    func normalize(_ value: inout BSON) -> Bool {
        if isStored(value) { return true }
        guard case .string(let text) = value, let stored = converted(text) else { return false }
        value = stored
        return true
    }

    func typed(_ value: BSON, field: FieldSchema) -> BSON {
        guard case .string(let text) = value, let stored = converted(text) else { return value }
        return stored
    }

    func value(fromText text: String, field: FieldSchema) throws(TextMismatch) -> BSON {
        let trimmed = text.trimmingSpaces
        guard converted(trimmed) != nil else { throw mismatch(text) }
        return .string(trimmed)
    }
}
