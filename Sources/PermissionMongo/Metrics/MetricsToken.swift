import Crypto

/// `server.metrics_token` (docs/API.md, "Health and metrics"): with one set, `GET /metrics`
/// answers only a request with `Authorization: Bearer <token>`. The token sent and the one
/// configured are compared as SHA-256 digests, in constant time, so the answer's timing
/// tells nothing of either.
struct MetricsToken: Sendable {
    /// Shorter tokens are refused at start-up.
    static let minimumLength = 16

    private let digest: SHA256.Digest

    init(_ token: String) {
        digest = SHA256.hash(data: Array(token.utf8))
    }

    /// Whether `authorization` (the header's value) is `Bearer` and this token.
    func admits(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return SHA256.hash(data: Array(parts[1].utf8)) == digest
    }

    /// What is wrong with `token` as a setting, if anything.
    static func problem(with token: String) -> String? {
        if token.count < minimumLength { return "must be at least \(minimumLength) characters (has \(token.count))" }
        if !token.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
            return "must be printable ASCII without spaces"
        }
        return nil
    }
}
