import Testing
@testable import PermissionMongo

/// `server.header_timeout_ms`, `body_timeout_ms`, `idle_timeout_ms` and `max_connections`:
/// defaults 10000, 60000, 60000 and 4096, each an integer of at least 1.
@Suite struct ConnectionConfigTests {
    @Test func defaults() throws {
        let connections = try loadTestConfig([("base.yml", configBaseYAML)]).server.connections
        #expect(connections == ConnectionSettings(headerTimeoutMs: 10_000, bodyTimeoutMs: 60_000, idleTimeoutMs: 60_000, maxConnections: 4096))
    }

    @Test func settingsAreRead() throws {
        let yaml = "server:\n  header_timeout_ms: 300\n  body_timeout_ms: 400\n  idle_timeout_ms: 500\n  max_connections: 8\n"
        let connections = try loadTestConfig(withBaseConfig(yaml)).server.connections
        #expect(connections == ConnectionSettings(headerTimeoutMs: 300, bodyTimeoutMs: 400, idleTimeoutMs: 500, maxConnections: 8))
    }

    @Test func nonPositiveOrNonIntegerValuesAreReportedWithFileAndLine() {
        let yaml = "server:\n  header_timeout_ms: 0\n  body_timeout_ms: -1\n  idle_timeout_ms: soon\n  max_connections: 0\n"
        #expect(configProblemLines(withBaseConfig(yaml)) == [
            "cfg/c.yml:2: server.header_timeout_ms: must be at least 1",
            "cfg/c.yml:3: server.body_timeout_ms: must be at least 1",
            "cfg/c.yml:4: server.idle_timeout_ms: must be an integer",
            "cfg/c.yml:5: server.max_connections: must be at least 1",
        ])
    }
}
