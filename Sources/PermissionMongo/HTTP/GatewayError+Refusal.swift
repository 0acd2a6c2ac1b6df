import NIOHTTP1

/// The errors of requests refused before any route (docs/API.md, "Refused before routing"
/// and "Connections").
extension GatewayError {
    /// A request the HTTP/1 parser refused, or whose body it found malformed.
    init(refused error: HTTPParserError) {
        switch error {
        case .headerOverflow:
            self.init(
                .headersTooLarge,
                "the request line and headers exceed \(HTTPHeadLimits.maxBytes) bytes or \(HTTPHeadLimits.maxFields) fields")
        case .invalidVersion:
            self = .badRequest("malformed request line or unsupported HTTP version (HTTP/1.0 and HTTP/1.1 are served)")
        case .invalidMethod:
            self = .badRequest("unknown HTTP method")
        case .invalidURL, .invalidHost, .invalidPort, .invalidPath, .invalidQueryString, .invalidFragment:
            self = .badRequest("malformed request target")
        case .invalidContentLength:
            self = .badRequest("invalid Content-Length")
        case .unexpectedContentLength:
            self = .badRequest("Content-Length sent twice, or together with Transfer-Encoding")
        case .invalidChunkSize:
            self = .badRequest("malformed chunked body: invalid chunk size")
        case .invalidHeaderToken:
            self = .badRequest("malformed header field")
        case .invalidEOFState:
            self = .badRequest("the connection closed before the request was complete")
        default:
            // Among them an invalid Transfer-Encoding, or one beside Content-Length.
            self = .badRequest("malformed HTTP request: request line, headers or message framing")
        }
    }

    /// `what` (request headers, request body) did not arrive within `key`'s limit.
    static func requestTimeout(_ what: String, limitMs: Int, key: String) -> GatewayError {
        GatewayError(.requestTimeout, "\(what) not received within server.\(key) (\(limitMs) ms)")
    }
}
