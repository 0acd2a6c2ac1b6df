/// `additional_fields:` — what happens to fields the schema does not declare.
public enum AdditionalFields: String, Sendable, CaseIterable {
    /// Kept as sent (the default).
    case allow
    /// The document fails with `<field> is not an allowed field`.
    case reject
}
