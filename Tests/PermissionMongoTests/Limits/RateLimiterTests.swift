import HTTPTypes
import PMBSON
import PMPolicy
import Testing
@testable import PermissionMongo

/// The limiter's answers, errors, metric and headers on an injected clock.
@Suite struct RateLimiterTests {
    let clock = ManualClock()
    let metrics = GatewayMetrics()

    func limiter(_ settings: RateLimitSettings) throws -> RateLimiter {
        try #require(RateLimiter(settings, registry: metrics.registry, clock: clock.read))
    }

    func refusal(_ body: () throws -> Void) -> (message: String, retryAfter: Int?, details: BSONDocument)? {
        do {
            try body()
            return nil
        } catch DomainError.rateLimited(let message, let retryAfter, let details) {
            return (message, retryAfter, details)
        } catch {
            return nil
        }
    }

    var exposition: String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func nothingIsLimitedWithoutSettings() {
        #expect(RateLimiter(RateLimitSettings(), registry: metrics.registry) == nil)
    }

    @Test func tenantDocumentsOverTheLimitAre429WithTheWait() throws {
        let limits = try limiter(RateLimitSettings(perTenant: .init(perSecond: 2, burst: 4)))
        try limits.admitDocuments(4, tenant: "acme", noting: nil)
        let refused = try #require(refusal { try limits.admitDocuments(3, tenant: "acme", noting: nil) })
        #expect(refused.retryAfter == 2)
        #expect(refused.message == "rate limit exceeded (2 documents a second with a burst of 4 per tenant): retry after 2 s")
        #expect(refused.details == BSONDocument([
            "scope": .string("tenant"), "limit": .int64(4), "requested": .int64(3), "retry_after": .int64(2),
        ]))
        try limits.admitDocuments(4, tenant: "globex", noting: nil)
        clock.advance(seconds: 1.5)
        try limits.admitDocuments(3, tenant: "acme", noting: nil)
        #expect(exposition.contains(#"pm_rate_limited_total{scope="tenant"} 1"#))
        #expect(exposition.contains(#"pm_rate_limited_total{scope="user"} 0"#))
    }

    @Test func moreThanTheBurstCanNeverFitAndHasNoWait() throws {
        let limits = try limiter(RateLimitSettings(perTenant: .init(perSecond: 100, burst: 10)))
        let refused = try #require(refusal { try limits.admitDocuments(11, tenant: "acme", noting: nil) })
        #expect(refused.retryAfter == nil)
        #expect(refused.message.contains("it can never fit, split it into smaller batches"))
        #expect(refused.details["retry_after"] == nil)
        #expect(GatewayError(DomainError.rateLimited(refused.message, retryAfter: nil, details: refused.details)).status
            == .tooManyRequests)
    }

    @Test func usersAreCountedWithinTheirTenant() throws {
        let limits = try limiter(RateLimitSettings(perUser: .init(perSecond: 1, burst: 1)))
        try limits.admitRequest(of: PolicyUser(id: "alice", tenantId: "acme", roles: []), noting: nil)
        try limits.admitRequest(of: PolicyUser(id: "alice", tenantId: "globex", roles: []), noting: nil)
        let refused = try #require(refusal {
            try limits.admitRequest(of: PolicyUser(id: "alice", tenantId: "acme", roles: []), noting: nil)
        })
        #expect(refused.retryAfter == 1)
        #expect(refused.details["scope"] == .string("user"))
        // No per_tenant: documents are not limited.
        try limits.admitDocuments(1_000_000, tenant: "acme", noting: nil)
        #expect(exposition.contains(#"pm_rate_limited_total{scope="user"} 1"#))
    }

    @Test func headersDescribeTheRefusingBucketElseTheLastCounted() throws {
        let limits = try limiter(RateLimitSettings(
            perTenant: .init(perSecond: 1, burst: 3), perUser: .init(perSecond: 1, burst: 10)))
        let user = PolicyUser(id: "alice", tenantId: "acme", roles: [])

        let write = RequestRateLimits()
        try limits.admitRequest(of: user, noting: write)
        try limits.admitDocuments(2, tenant: "acme", noting: write)
        #expect(headers(write) == ["X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "2", "X-RateLimit-Scope": "tenant"])

        let read = RequestRateLimits()
        try limits.admitRequest(of: user, noting: read)
        #expect(headers(read) == ["X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "8", "X-RateLimit-Reset": "2", "X-RateLimit-Scope": "user"])

        let refused = RequestRateLimits()
        _ = refusal { try limits.admitDocuments(2, tenant: "acme", noting: refused) }
        refused.note(RateLimitDecision(outcome: .allowed, limit: 10, remaining: 7, resetSeconds: 3), scope: .user)
        #expect(headers(refused)["X-RateLimit-Scope"] == "tenant")
        #expect(headers(refused)["X-RateLimit-Remaining"] == "1")

        #expect(headers(RequestRateLimits()).isEmpty)
    }

    func headers(_ limits: RequestRateLimits) -> [String: String] {
        var fields = HTTPFields()
        limits.write(into: &fields)
        return Dictionary(uniqueKeysWithValues: fields.map { ($0.name.rawName, $0.value) })
    }
}
