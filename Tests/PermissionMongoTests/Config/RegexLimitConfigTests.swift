import Testing
@testable import PermissionMongo

/// `server.max_regex_length`: default 512, an integer of at least 1.
@Suite struct RegexLimitConfigTests {
    @Test func defaultIs512() throws {
        #expect(try loadTestConfig([("base.yml", configBaseYAML)]).server.maxRegexLength == 512)
    }

    @Test func settingIsRead() throws {
        #expect(try loadTestConfig(withBaseConfig("server:\n  max_regex_length: 40\n")).server.maxRegexLength == 40)
    }

    @Test func nonPositiveOrNonIntegerValuesAreReportedWithFileAndLine() {
        #expect(configProblemLines(withBaseConfig("server:\n  max_regex_length: 0\n"))
                == ["cfg/c.yml:2: server.max_regex_length: must be at least 1"])
        #expect(configProblemLines(withBaseConfig("server:\n  max_regex_length: -3\n"))
                == ["cfg/c.yml:2: server.max_regex_length: must be at least 1"])
        #expect(configProblemLines(withBaseConfig("server:\n  max_regex_length: long\n"))
                == ["cfg/c.yml:2: server.max_regex_length: must be an integer"])
    }
}
