import PMBSON

/// Why an update was refused or could not be applied to one document.
///
/// - `.invalidUpdate` and `.protectedField` come from `UpdateSpec.init` (the whole
///   request is wrong: 400 `bad_request`).
/// - `.notApplicable` comes from `UpdateSpec.apply(to:)` (this one document cannot take
///   the update, e.g. `$inc` on a string: a per-document failure).
public struct UpdateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidUpdate
        case protectedField
        case notApplicable
    }

    public let kind: Kind
    /// The dotted path (or operator) the message is about, when there is one.
    public let field: String?
    public let message: String

    public init(_ kind: Kind, field: String?, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var description: String { message }

    static func invalid(_ message: String, field: String? = nil) -> UpdateError {
        UpdateError(.invalidUpdate, field: field, message)
    }

    static func cannot(_ message: String, field: String) -> UpdateError {
        UpdateError(.notApplicable, field: field, message)
    }
}
