import Testing
@testable import PermissionMongo

/// `server.shutdown_grace_ms`: default 25000, an integer of at least 0.
@Suite struct ShutdownGraceConfigTests {
    @Test func defaultIs25Seconds() throws {
        #expect(try loadTestConfig([("base.yml", configBaseYAML)]).server.shutdownGraceMs == 25_000)
    }

    @Test func settingIsRead() throws {
        #expect(try loadTestConfig(withBaseConfig("server:\n  shutdown_grace_ms: 2000\n")).server.shutdownGraceMs == 2000)
        #expect(try loadTestConfig(withBaseConfig("server:\n  shutdown_grace_ms: 0\n")).server.shutdownGraceMs == 0)
    }

    @Test func negativeOrNonIntegerValuesAreReportedWithFileAndLine() {
        #expect(configProblemLines(withBaseConfig("server:\n  shutdown_grace_ms: -5\n"))
                == ["cfg/c.yml:2: server.shutdown_grace_ms: must be at least 0"])
        #expect(configProblemLines(withBaseConfig("server:\n  shutdown_grace_ms: soon\n"))
                == ["cfg/c.yml:2: server.shutdown_grace_ms: must be an integer"])
    }
}
