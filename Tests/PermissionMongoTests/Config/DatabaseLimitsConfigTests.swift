import PMMongo
import Testing
@testable import PermissionMongo

/// `database.write_concern`, `max_time_ms`, `server_selection_timeout_ms`, `connect_timeout_ms`.
@Suite struct DatabaseLimitsConfigTests {
    @Test func defaultsAreDurableAndBounded() throws {
        let database = try loadTestConfig([("base.yml", configBaseYAML)]).database
        #expect(database.writeConcern == MongoWriteConcern(w: .majority, journal: true, timeoutMS: nil))
        #expect(database.maxTimeMS == 10_000)
        #expect(database.serverSelectionTimeoutMS == 3000)
        #expect(database.connectTimeoutMS == 3000)
        #expect(database.poolOptions == MongoPoolOptions(
            writeConcern: .durable, serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, maxTimeMS: 10_000,
            retryBudgetMS: 10_000))
    }

    @Test func settingsAreRead() throws {
        let database = try loadTestConfig(withBaseConfig("""
            database:
              write_concern: { w: 2, j: false, wtimeout_ms: 5000 }
              max_time_ms: 2500
              server_selection_timeout_ms: 1500
              connect_timeout_ms: 700
            """)).database
        #expect(database.writeConcern == MongoWriteConcern(w: .members(2), journal: false, timeoutMS: 5000))
        #expect(database.maxTimeMS == 2500)
        #expect(database.serverSelectionTimeoutMS == 1500)
        #expect(database.connectTimeoutMS == 700)
    }

    @Test func keysLeftOutKeepTheDefault() throws {
        let database = try loadTestConfig(withBaseConfig("database:\n  write_concern: { wtimeout_ms: 100 }\n")).database
        #expect(database.writeConcern == MongoWriteConcern(w: .majority, journal: true, timeoutMS: 100))
    }

    @Test func badValuesAreReportedWithFileAndLine() {
        let lines = configProblemLines(withBaseConfig("""
            database:
              write_concern:
                w: most
                j: sometimes
                wtimeout_ms: -1
                fsync: true
              max_time_ms: 0
              server_selection_timeout_ms: soon
              connect_timeout_ms: -5
            """))
        #expect(lines == [
            "cfg/c.yml:3: database.write_concern.w: must be \"majority\" or a number of members",
            "cfg/c.yml:4: database.write_concern.j: must be true or false",
            "cfg/c.yml:5: database.write_concern.wtimeout_ms: must be at least 0",
            "cfg/c.yml:6: database.write_concern.fsync: unknown key (expected one of: w, j, wtimeout_ms)",
            "cfg/c.yml:7: database.max_time_ms: must be at least 1",
            "cfg/c.yml:8: database.server_selection_timeout_ms: must be an integer",
            "cfg/c.yml:9: database.connect_timeout_ms: must be at least 1",
        ])
    }

    @Test func unacknowledgedWritesAreRefused() {
        let lines = configProblemLines(withBaseConfig("database:\n  write_concern: { w: 0, j: false }\n"))
        #expect(lines == ["cfg/c.yml:2: database.write_concern.w: must be at least 1"])
    }
}
