import HummingbirdCore

/// How large a request line and its headers may be (docs/API.md, "Refused before routing"):
/// larger ones are 431 `headers_too_large`. An over-long URL counts toward the same bytes.
enum HTTPHeadLimits {
    static let maxBytes = 80 * 1024
    static let maxFields = 1000

    static var decoder: HTTP1Channel.Configuration.DecoderConfiguration {
        .init(maxHeaderFieldSize: maxBytes, maxHeaderListSize: maxBytes, maxHeaderFieldCount: maxFields)
    }
}
