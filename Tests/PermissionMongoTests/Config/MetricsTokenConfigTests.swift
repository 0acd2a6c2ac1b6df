import Testing
@testable import PermissionMongo

/// `server.metrics_token`: none by default; at least 16 printable ASCII characters, no spaces.
@Suite struct MetricsTokenConfigTests {
    @Test func noTokenByDefault() throws {
        #expect(try loadTestConfig([("base.yml", configBaseYAML)]).server.metricsToken == nil)
    }

    @Test func settingIsRead() throws {
        let config = try loadTestConfig(withBaseConfig("server:\n  metrics_token: scrape-0123456789abcdef\n"))
        #expect(config.server.metricsToken == "scrape-0123456789abcdef")
    }

    @Test func emptyShortSpacedOrNonStringTokensAreReportedWithFileAndLine() {
        #expect(configProblemLines(withBaseConfig("server:\n  metrics_token: \"\"\n"))
                == ["cfg/c.yml:2: server.metrics_token: must be at least 16 characters (has 0)"])
        #expect(configProblemLines(withBaseConfig("server:\n  metrics_token: short\n"))
                == ["cfg/c.yml:2: server.metrics_token: must be at least 16 characters (has 5)"])
        #expect(configProblemLines(withBaseConfig("server:\n  metrics_token: \"a token with spaces in it\"\n"))
                == ["cfg/c.yml:2: server.metrics_token: must be printable ASCII without spaces"])
        #expect(configProblemLines(withBaseConfig("server:\n  metrics_token: 12345678901234567\n"))
                == ["cfg/c.yml:2: server.metrics_token: must be a string"])
    }
}
