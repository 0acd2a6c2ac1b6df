import Testing
@testable import PermissionMongo

/// `server.tenant_max_in_flight`: by default half of `database.pool_size` (at least 1);
/// 0 turns the limit off.
@Suite struct TenantShareConfigTests {
    @Test func defaultIsHalfThePool() throws {
        let config = try loadTestConfig([("base.yml", configBaseYAML)])
        #expect(config.server.tenantMaxInFlight == nil)
        #expect(config.server.tenantMaxInFlight(poolSize: config.database.poolSize) == config.database.poolSize / 2)
        #expect(config.server.tenantMaxInFlight(poolSize: 1) == 1)
    }

    @Test func settingIsRead() throws {
        let config = try loadTestConfig(withBaseConfig("server:\n  tenant_max_in_flight: 0\n"))
        #expect(config.server.tenantMaxInFlight(poolSize: 16) == 0)
        #expect(try loadTestConfig(withBaseConfig("server:\n  tenant_max_in_flight: 7\n")).server.tenantMaxInFlight == 7)
    }

    @Test func negativeOrNonIntegerValuesAreReportedWithFileAndLine() {
        #expect(configProblemLines(withBaseConfig("server:\n  tenant_max_in_flight: -1\n"))
                == ["cfg/c.yml:2: server.tenant_max_in_flight: must be at least 0"])
        #expect(configProblemLines(withBaseConfig("server:\n  tenant_max_in_flight: many\n"))
                == ["cfg/c.yml:2: server.tenant_max_in_flight: must be an integer"])
    }
}
