/// Which limit a decision is about: a tenant's documents or a user's requests. The value of
/// the `scope` label of `pm_rate_limited_total` and of the `X-RateLimit-Scope` header.
enum RateLimitScope: String, Sendable {
    case tenant
    case user
}
