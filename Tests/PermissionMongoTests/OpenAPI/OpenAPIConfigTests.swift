import Testing
@testable import PermissionMongo

/// `server.openapi`: `authenticated` (default), `public` or `off`.
@Suite struct OpenAPIConfigTests {
    @Test func defaultIsAuthenticated() throws {
        #expect(try loadTestConfig(withBaseConfig("server:\n  max_batch_size: 5\n")).server.openAPI == .authenticated)
    }

    @Test func eachValue() throws {
        #expect(try loadTestConfig(withBaseConfig("server:\n  openapi: public\n")).server.openAPI == .public)
        #expect(try loadTestConfig(withBaseConfig("server:\n  openapi: authenticated\n")).server.openAPI == .authenticated)
        // A plain `off` is a boolean to YAML; quoted, a string: both mean off.
        #expect(try loadTestConfig(withBaseConfig("server:\n  openapi: off\n")).server.openAPI == .off)
        #expect(try loadTestConfig(withBaseConfig("server:\n  openapi: \"off\"\n")).server.openAPI == .off)
    }

    @Test func otherValuesAreProblems() {
        #expect(configProblemLines(withBaseConfig("server:\n  openapi: private\n"))
            == ["cfg/c.yml:2: server.openapi: must be one of authenticated, public, off (got \"private\")"])
        #expect(configProblemLines(withBaseConfig("server:\n  openapi: true\n"))
            == ["cfg/c.yml:2: server.openapi: must be one of authenticated, public, off (got true)"])
        #expect(configProblemLines(withBaseConfig("server:\n  openapi: 1\n"))
            == ["cfg/c.yml:2: server.openapi: must be a string"])
    }
}
