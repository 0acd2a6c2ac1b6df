import HTTPTypes
import PMBSON

/// An error a client sees: an HTTP status and the error envelope (docs/API.md, "Errors").
public struct GatewayError: Error, Sendable {
    public enum Code: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case conflict
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case unprocessable = "unprocessable"
        /// Headers or body not received within `server.header_timeout_ms` / `body_timeout_ms`.
        case requestTimeout = "request_timeout"
        /// Request line and headers over the parser's limit.
        case headersTooLarge = "headers_too_large"
        case unavailable
        /// No key to verify the token with: the identity provider's key set cannot be fetched.
        case authUnavailable = "auth_unavailable"
        case `internal`

        public var status: HTTPResponse.Status {
            switch self {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .unprocessable: .unprocessableContent
            case .requestTimeout: .requestTimeout
            case .headersTooLarge: .requestHeaderFieldsTooLarge
            case .unavailable, .authUnavailable: .serviceUnavailable
            case .internal: .internalServerError
            }
        }
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: BSONDocument?
    /// Seconds a client should wait before trying again (`Retry-After`), when it may.
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, details: BSONDocument? = nil) {
        self.init(status: code.status, code: code.rawValue, message: message, details: details)
    }

    /// A status with a code of its own, e.g. 422 `schema_validation` for a single-document route.
    public init(_ code: Code, _ message: String, code specific: String) {
        self.init(status: code.status, code: specific, message: message)
    }

    public init(status: HTTPResponse.Status, code: String, message: String, details: BSONDocument? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// `{"error":{"code","message","details"?},"meta":{"request_id"}}`
    public func envelope(requestId: String) -> BSONDocument {
        var body = BSONDocument()
        body.append("error", .document(errorBody))
        body.append("meta", .document(BSONDocument(["request_id": .string(requestId)])))
        return body
    }

    /// `{"code","message","details"?}`: the envelope's `error`, also a mixed-batch result's.
    var errorBody: BSONDocument {
        var error = BSONDocument()
        error.append("code", .string(code))
        error.append("message", .string(message))
        if let details { error.append("details", .document(details)) }
        return error
    }
}

extension GatewayError {
    static func badRequest(_ message: String, details: BSONDocument? = nil) -> GatewayError {
        GatewayError(.badRequest, message, details: details)
    }
}
