import PMConfigFiles

/// One field's YAML as its type and rules read it: the settings by key (only those that
/// apply to the type), the field's name and type, and whether everything read so far was
/// valid (a default is only checked against a valid field).
struct FieldSettings {
    private var settings: [String: ConfigNode]
    /// The field's name; for array items, the array's (used in default and enum messages).
    let name: String
    let type: FieldType
    /// What a nested `object` inherits unless it sets its own `additional_fields`.
    let additionalFields: AdditionalFields
    var isValid = true

    init(_ settings: [String: ConfigNode], name: String, type: FieldType, additionalFields: AdditionalFields) {
        self.settings = settings
        self.name = name
        self.type = type
        self.additionalFields = additionalFields
    }

    subscript(key: String) -> ConfigNode? {
        get { settings[key] }
        set { settings[key] = newValue }
    }
}

/// A CSV cell (or one `;`-separated item of it) that is not of its field's type.
public struct TextMismatch: Error, Sendable, Equatable {
    /// The text as it was given.
    public var text: String
    /// What it should have been: `a number`, `an ISO-8601 date`.
    public var expectation: String
}
