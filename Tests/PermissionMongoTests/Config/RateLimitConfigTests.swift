import Testing
@testable import PermissionMongo

/// `server.rate_limits` in the configuration.
@Suite struct RateLimitConfigTests {
    @Test func bothLimitsAreRead() throws {
        let config = try loadTestConfig(withBaseConfig("""
            server:
              rate_limits:
                per_tenant: { documents_per_second: 500, burst: 2000 }
                per_user: { requests_per_second: 2.5, burst: 10 }
            """))
        #expect(config.server.rateLimits == RateLimitSettings(
            perTenant: .init(perSecond: 500, burst: 2000), perUser: .init(perSecond: 2.5, burst: 10)))
    }

    @Test func noLimitsByDefaultAndBurstDefaultsToOneSecond() throws {
        #expect(try loadTestConfig(withBaseConfig("server: {}")).server.rateLimits.isEmpty)
        let config = try loadTestConfig(withBaseConfig("""
            server:
              rate_limits:
                per_user: { requests_per_second: 2.5 }
            """))
        #expect(config.server.rateLimits == RateLimitSettings(perUser: .init(perSecond: 2.5, burst: 3)))
    }

    @Test func badLimitsAreProblemsWithTheirLines() {
        let lines = configProblemLines(withBaseConfig("""
            server:
              rate_limits:
                per_tenant:
                  documents_per_second: 0
                  burst: 0
                per_user:
                  requests_per_second: -1
                  bursts: 3
                per_ip: { requests_per_second: 1 }
            """))
        #expect(lines == [
            "cfg/c.yml:4: server.rate_limits.per_tenant.documents_per_second: must be greater than 0",
            "cfg/c.yml:5: server.rate_limits.per_tenant.burst: must be at least 1",
            "cfg/c.yml:7: server.rate_limits.per_user.requests_per_second: must be greater than 0",
            "cfg/c.yml:8: server.rate_limits.per_user.bursts: unknown key (expected one of: requests_per_second, burst)",
            "cfg/c.yml:9: server.rate_limits.per_ip: unknown key (expected one of: per_tenant, per_user)",
        ])
    }

    @Test func aLimitNeedsItsRate() {
        let lines = configProblemLines(withBaseConfig("""
            server:
              rate_limits:
                per_tenant: { burst: 10 }
                per_user: { requests_per_second: fast }
            """))
        #expect(lines == [
            "cfg/c.yml:3: server.rate_limits.per_tenant: documents_per_second is required",
            "cfg/c.yml:4: server.rate_limits.per_user.requests_per_second: must be a number",
        ])
    }
}
