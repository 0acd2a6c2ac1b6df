import HTTPTypes
import NIOConcurrencyHelpers

/// What the rate limits said about one request, for its `X-RateLimit-*` headers
/// (`RateLimitHeadersMiddleware`). A request may be counted twice — as a request of its
/// user, then for the documents it writes — and the headers describe one limit: the one
/// that refused it, else the last one counted (the tenant's documents on a route that
/// writes, the user's requests on the others).
final class RequestRateLimits: Sendable {
    private let shown = NIOLockedValueBox<(scope: RateLimitScope, decision: RateLimitDecision)?>(nil)

    func note(_ decision: RateLimitDecision, scope: RateLimitScope) {
        shown.withLockedValue { shown in
            if let current = shown, !current.decision.isAllowed { return }
            shown = (scope, decision)
        }
    }

    /// `X-RateLimit-Limit`, `-Remaining`, `-Reset` (seconds until the bucket is full) and
    /// `-Scope`; nothing when no limit counted the request.
    func write(into headers: inout HTTPFields) {
        guard let shown = shown.withLockedValue({ $0 }) else { return }
        headers[.rateLimitLimit] = String(shown.decision.limit)
        headers[.rateLimitRemaining] = String(shown.decision.remaining)
        headers[.rateLimitReset] = String(shown.decision.resetSeconds)
        headers[.rateLimitScope] = shown.scope.rawValue
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
    static let rateLimitScope = HTTPField.Name("X-RateLimit-Scope")!
}
