import PMBSON

/// Why one document of a batch was not written: the per-document failure codes.
public struct DocumentFailure: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case schemaValidation = "schema_validation"
        case forbidden
        case hookRejected = "hook_rejected"
        case duplicateKey = "duplicate_key"
        case writeFailed = "write_failed"
        case notFound = "not_found"
    }

    public var code: Code
    public var message: String
    /// A `write_failed` the request itself caused (its update operators cannot be applied
    /// to this document), rather than the database: 422 on a single-document route, not 500.
    public var causedByRequest = false

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `write_failed`: the update cannot be applied to this document (`cannot $inc non-numeric field name`).
    static func inapplicable(_ message: String) -> DocumentFailure {
        var failure = DocumentFailure(.writeFailed, message)
        failure.causedByRequest = true
        return failure
    }

    var json: BSONDocument {
        BSONDocument(["code": .string(code.rawValue), "message": .string(message)])
    }
}
