/// `server.rate_limits` (docs/API.md, "Rate limits"): token buckets kept by each gateway
/// process. Either part may be absent; with neither, nothing is limited.
public struct RateLimitSettings: Sendable, Equatable {
    /// One token bucket: refilled at `perSecond` tokens a second, holding at most `burst`.
    public struct Bucket: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Int

        public init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    /// `per_tenant`: documents created, updated or deleted by a tenant (`documents_per_second`).
    public var perTenant: Bucket?
    /// `per_user`: authenticated requests of one user of one tenant (`requests_per_second`).
    public var perUser: Bucket?

    public init(perTenant: Bucket? = nil, perUser: Bucket? = nil) {
        self.perTenant = perTenant
        self.perUser = perUser
    }

    public var isEmpty: Bool { perTenant == nil && perUser == nil }
}
