import Testing
@testable import PermissionMongo

/// `database.retry_budget_ms`: default 10000, an integer of at least 0 (0: never retried),
/// handed to the MongoDB pool.
@Suite struct RetryBudgetConfigTests {
    @Test func defaultIsTenSeconds() throws {
        let database = try loadTestConfig([("base.yml", configBaseYAML)]).database
        #expect(database.retryBudgetMS == 10_000)
        #expect(database.poolOptions.retryBudgetMS == 10_000)
    }

    @Test func settingIsRead() throws {
        #expect(try loadTestConfig(withBaseConfig("database:\n  retry_budget_ms: 500\n")).database.retryBudgetMS == 500)
        let off = try loadTestConfig(withBaseConfig("database:\n  retry_budget_ms: 0\n")).database
        #expect(off.retryBudgetMS == 0)
        #expect(off.poolOptions.retryBudgetMS == 0)
    }

    @Test func negativeOrNonIntegerValuesAreReportedWithFileAndLine() {
        #expect(configProblemLines(withBaseConfig("database:\n  retry_budget_ms: -1\n"))
                == ["cfg/c.yml:2: database.retry_budget_ms: must be at least 0"])
        #expect(configProblemLines(withBaseConfig("database:\n  retry_budget_ms: long\n"))
                == ["cfg/c.yml:2: database.retry_budget_ms: must be an integer"])
    }
}
