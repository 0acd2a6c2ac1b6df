import PMBSON

/// Why one document of a batch was not written (§5.1): the per-document failure codes.
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

    /// The status a single-document route answers with for this failure (§6).
    var gatewayError: GatewayError {
        switch code {
        case .schemaValidation, .hookRejected: GatewayError(.unprocessable, message, code: code.rawValue)
        case .duplicateKey: GatewayError(.conflict, message, code: code.rawValue)
        case .forbidden: GatewayError(.forbidden, message)
        case .notFound: GatewayError(.notFound, message)
        case .writeFailed: GatewayError(.internal, message, code: code.rawValue)
        }
    }
}
