/// A `pattern:` compiled once at load; a string matches when the regex is found anywhere in it
/// (use `^…$` to match the whole string).
public struct FieldPattern: @unchecked Sendable {
    // Regex is immutable after creation and its lazy compilation is thread-safe.
    public let source: String
    private let regex: Regex<AnyRegexOutput>
    /// The same pattern for printable-ASCII strings, when it is of a simple shape.
    private let simple: SimplePattern?

    /// Throws the regex syntax error.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
        self.simple = SimplePattern(source)
    }

    public func matches(_ string: String) -> Bool {
        if let simple, let found = simple.matches(string) { return found }
        return string.contains(regex)
    }

    /// The answer for a string given as UTF-8 bytes when the simple matcher can give it
    /// without a `String` (printable ASCII, simple pattern); `nil` otherwise.
    func matchesWithoutRegex(utf8: UnsafeBufferPointer<UInt8>) -> Bool? {
        simple?.matches(utf8: utf8)
    }
}
