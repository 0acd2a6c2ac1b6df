/// Why a client command could not do its work, worded for the person at the terminal.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A flag or argument is wrong.
    case usage(String)
    /// The input (operations, a file, a CSV header, ...) cannot be used.
    case input(String)
    /// Nothing answered at the gateway's address.
    case unreachable(url: String, detail: String)
    /// The gateway did not answer within the timeout.
    case timeout(url: String, seconds: Double)
    /// Any other failure to get an HTTP answer.
    case transport(url: String, detail: String)
    /// 401: the token was refused.
    case unauthorized(message: String)
    /// The answer is not the JSON the gateway sends.
    case notJSON(status: Int, excerpt: String)
    /// JSON, but not what the gateway answers to this request.
    case unexpected(status: Int, excerpt: String)
    /// The gateway refused the whole request (the error envelope).
    case refused(status: Int, code: String, message: String)

    public var description: String {
        switch self {
        case .usage(let message), .input(let message):
            return message
        case .unreachable(let url, let detail):
            return "cannot reach the gateway at \(url): \(detail) (is it running? check --url)"
        case .timeout(let url, let seconds):
            return "the gateway at \(url) did not answer within \(Self.format(seconds)) s (see --timeout)"
        case .transport(let url, let detail):
            return "request to \(url) failed: \(detail)"
        case .unauthorized(let message):
            return "401 unauthorized: the gateway refused the token (\(message)); check --token or PM_TOKEN"
        case .notJSON(let status, let excerpt):
            let shown = excerpt.isEmpty ? "an empty body" : "\"\(excerpt)\""
            return "the gateway answered \(status) with a body that is not JSON: \(shown) (is --url a Permission Mongo gateway?)"
        case .unexpected(let status, let excerpt):
            return "the gateway answered \(status) with an unexpected body: \(excerpt)"
        case .refused(let status, let code, let message):
            return "the gateway refused the request: \(status) \(code): \(message)"
        }
    }

    /// 2 when nothing could be done (input, connection, token); 1 when the gateway refused.
    public var exitCode: Int32 {
        if case .refused = self { return 1 }
        return 2
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
