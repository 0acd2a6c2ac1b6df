import PMCurl

/// What one hook call came to: let through (2xx) or refused, and why in words.
enum HookCallResult: Sendable, Equatable {
    case accepted
    case refused(reason: String, kind: Kind)

    enum Kind: String, Sendable {
        case status, timeout, connectionRefused = "connection_refused", other
        /// A 2xx answer that did not say what it must (batch-mode pre-hooks).
        case answer
    }

    init(_ result: Result<CurlResponse, CurlError>, timeoutMs: Int) {
        switch result {
        case .success(let response) where response.isSuccess:
            self = .accepted
        case .success(let response):
            self = .refused(reason: "status \(response.status)", kind: .status)
        case .failure(let error):
            switch error.kind {
            case .timeout: self = .refused(reason: "timed out after \(timeoutMs) ms", kind: .timeout)
            case .connectionRefused: self = .refused(reason: "connection refused", kind: .connectionRefused)
            case .shutdown: self = .refused(reason: "the gateway is shutting down", kind: .other)
            case .other: self = .refused(reason: "request failed: \(error.message)", kind: .other)
            }
        }
    }
}
