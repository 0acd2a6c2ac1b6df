/// A request that got no HTTP answer, classified for callers that explain why.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No complete answer within the request's timeout.
        case timeout
        /// Nothing listens at the address (or it could not be connected to).
        case connectionRefused
        /// The client was shut down before the request finished.
        case shutdown
        /// Anything else: DNS, TLS, protocol, malformed URL, ...
        case other
    }

    public var kind: Kind
    /// libcurl's own description (its error buffer, else `curl_easy_strerror`).
    public var message: String
    /// The `CURLcode`, 0 when the failure did not come from libcurl.
    public var code: Int

    public init(kind: Kind, message: String, code: Int = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
