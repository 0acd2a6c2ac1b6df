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

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var json: BSONDocument {
        BSONDocument(["code": .string(code.rawValue), "message": .string(message)])
    }
}
