/// A `pattern:` compiled once at load; a string matches when the regex is found anywhere in it
/// (use `^…$` to match the whole string).
public struct FieldPattern: @unchecked Sendable {
    // Regex is immutable after creation and its lazy compilation is thread-safe.
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Throws the regex syntax error.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    public func matches(_ string: String) -> Bool {
        string.contains(regex)
    }
}
