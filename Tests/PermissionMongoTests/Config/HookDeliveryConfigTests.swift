import Testing
@testable import PermissionMongo

/// Batch mode, per-endpoint limits, the circuit breaker, retention and admin roles in
/// the configuration.
@Suite struct HookDeliveryConfigTests {
    @Test func endpointModesAndLimitsAreRead() throws {
        let config = try loadTestConfig(withBaseConfig("""
            collections:
              products: {}
            hooks:
              products:
                pre_create:
                  - url: http://127.0.0.1:9000/check
                    mode: batch
                    max_documents: 100
                post_create:
                  - url: http://127.0.0.1:9000/index
                    max_in_flight: 8
                  - { url: http://127.0.0.1:9000/all, mode: document }
            """))
        let hooks = try #require(config.hooks["products"])
        #expect(hooks[.preCreate] == [
            HookEndpoint(url: "http://127.0.0.1:9000/check", mode: .batch, maxDocuments: 100),
        ])
        #expect(hooks[.postCreate].map(\.maxInFlight) == [8, 4])
        #expect(hooks[.postCreate].map(\.mode) == [.document, .document])
        #expect(hooks[.postCreate].map(\.maxDocuments) == [500, 500])
    }

    @Test func badModesAndLimitsAreProblemsWithTheirLines() {
        let lines = configProblemLines(withBaseConfig("""
            collections:
              products: {}
            hooks:
              products:
                post_create:
                  - { url: http://h/a, mode: bulk }
                  - { url: http://h/b, max_in_flight: 0 }
                  - { url: http://h/c, mode: batch, max_documents: 0 }
                  - { url: http://h/d, max_documents: 10 }
            """))
        #expect(lines == [
            "cfg/c.yml:6: hooks.products.post_create[0].mode: must be one of document, batch (got \"bulk\")",
            "cfg/c.yml:7: hooks.products.post_create[1].max_in_flight: must be at least 1",
            "cfg/c.yml:8: hooks.products.post_create[2].max_documents: must be at least 1",
            "cfg/c.yml:9: hooks.products.post_create[3].max_documents: applies only to mode: batch",
        ])
    }

    @Test func breakerRetentionAndAdminRoles() throws {
        let config = try loadTestConfig(withBaseConfig("""
            server:
              hook_breaker_failures: 3
              hook_breaker_open_ms: 1500
              hook_retention_days: 2
            """).map { $0 == "base.yml" ? ($0, $1.replacingOccurrences(of: "auth:\n", with: "auth:\n  admin_roles: [ops, root]\n")) : ($0, $1) })
        #expect(config.server.hookDelivery.breakerFailures == 3)
        #expect(config.server.hookDelivery.breakerOpenMs == 1500)
        #expect(config.server.hookDelivery.retentionDays == 2)
        #expect(config.auth.adminRoles == ["ops", "root"])

        let defaults = try loadTestConfig(withBaseConfig("collections: {}\n"))
        #expect(defaults.server.hookDelivery == HookDeliverySettings())
        #expect(defaults.server.hookDelivery.breakerFailures == 5)
        #expect(defaults.server.hookDelivery.breakerOpenMs == 30000)
        #expect(defaults.server.hookDelivery.retentionDays == 7)
        #expect(defaults.auth.adminRoles == ["admin"])
    }

    @Test func badBreakerRetentionAndAdminRolesAreProblems() {
        let lines = configProblemLines(withBaseConfig("""
            server:
              hook_breaker_failures: 0
              hook_breaker_open_ms: -1
              hook_retention_days: 0
            """).map { $0 == "base.yml" ? ($0, $1.replacingOccurrences(of: "auth:\n", with: "auth:\n  admin_roles: admin\n")) : ($0, $1) })
        #expect(lines == [
            "cfg/base.yml:4: auth.admin_roles: must be a list of strings",
            "cfg/c.yml:2: server.hook_breaker_failures: must be at least 1",
            "cfg/c.yml:3: server.hook_breaker_open_ms: must be at least 1",
            "cfg/c.yml:4: server.hook_retention_days: must be at least 1",
        ])
    }

    @Test func hooksIsAReservedCollectionName() {
        let lines = configProblemLines(withBaseConfig("collections:\n  _hooks: {}\n"))
        #expect(lines == [#"cfg/c.yml:2: collections._hooks: collection name "_hooks" is reserved"#])
    }
}
