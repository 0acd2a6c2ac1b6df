import Testing
@testable import PermissionMongo

@Suite struct HookConfigTests {
    @Test func hooksAreRead() throws {
        let config = try loadTestConfig(withBaseConfig("""
            collections:
              products: {}
            hooks:
              products:
                pre_create:
                  - url: http://127.0.0.1:9000/validate-product
                    method: post
                    timeout_ms: 2000
                    headers: { X-Api-Key: abc }
                    secret: s3cret
                  - url: https://hooks.example/check
                post_create:
                  - url: http://127.0.0.1:9000/index-product
                    method: PUT
                pre_update: []
            """))
        let hooks = try #require(config.hooks["products"])
        #expect(hooks[.preCreate] == [
            HookEndpoint(url: "http://127.0.0.1:9000/validate-product", method: "POST", timeoutMs: 2000, headers: ["X-Api-Key": "abc"], secret: "s3cret"),
            HookEndpoint(url: "https://hooks.example/check", method: "POST", timeoutMs: 5000),
        ])
        #expect(hooks[.postCreate] == [HookEndpoint(url: "http://127.0.0.1:9000/index-product", method: "PUT")])
        #expect(hooks[.preUpdate].isEmpty)
        #expect(hooks[.postDelete].isEmpty)
    }

    @Test func badHooksAreProblems() {
        let lines = configProblemLines(withBaseConfig("""
            collections:
              products: {}
            hooks:
              products:
                pre_create:
                  - url: ftp://127.0.0.1/x
                  - url: "http://:80/x"
                  - url: http://host:99999/x
                  - { method: DELETE, url: http://h/ }
                  - { url: http://h/, timeout_ms: 0 }
                  - { method: POST }
                  - { url: http://h/, headers: { "Bad Header": x, X-Ok: "a\\r\\nb" } }
                post_delete: http://h/
              orphans:
                pre_create: []
            """))
        #expect(lines == [
            "cfg/c.yml:6: hooks.products.pre_create[0].url: must be an http:// or https:// URL",
            "cfg/c.yml:7: hooks.products.pre_create[1].url: must name a host",
            "cfg/c.yml:8: hooks.products.pre_create[2].url: has an invalid port",
            "cfg/c.yml:9: hooks.products.pre_create[3].method: must be one of POST, PUT, PATCH",
            "cfg/c.yml:10: hooks.products.pre_create[4].timeout_ms: must be at least 1",
            "cfg/c.yml:11: hooks.products.pre_create[5]: url is required",
            "cfg/c.yml:12: hooks.products.pre_create[6].headers.Bad Header: is not a valid header name",
            "cfg/c.yml:12: hooks.products.pre_create[6].headers.X-Ok: must not contain line breaks",
            "cfg/c.yml:13: hooks.products.post_delete: must be a list of hook endpoints",
            "cfg/c.yml:14: hooks.orphans: collection \"orphans\" is not configured under collections",
        ])
    }

    @Test(arguments: ["http://h", "https://h:8443/p?q=1", "http://[::1]:9000/x", "HTTP://user@h/x"])
    func validHookURLs(url: String) {
        #expect(HookURL.problem(with: url) == nil)
    }

    @Test(arguments: ["h/x", "http://", "http://h:0/", "https://[::1/x", "http://h x/"])
    func invalidHookURLs(url: String) {
        #expect(HookURL.problem(with: url) != nil)
    }
}
