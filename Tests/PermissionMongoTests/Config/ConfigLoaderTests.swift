import PMConfigFiles
import PMTestKit
import Testing
@testable import PermissionMongo

@Suite struct ConfigLoaderTests {
    @Test func exampleConfigurationLoads() throws {
        let config = try ConfigLoader.load(directory: examplePoliciesDirectory, environment: [:])
        #expect(config.database.uri == "mongodb://127.0.0.1:27017/?directConnection=true")
        #expect(config.database.name == "permission_mongo")
        #expect(config.server.listenHost == "127.0.0.1")
        #expect(config.server.listenPort == 8080)
        #expect((config.auth.jwtSecret?.utf8.count ?? 0) >= 32)
        let products = try #require(config.collections["products"])
        #expect(products.schema.root.fields.map(\.name) == ["name", "price", "qty", "category", "sku", "tags", "dims", "released", "active"])
        #expect(products.schema.uniqueFields == ["sku"])
        #expect(products.versioning == VersioningSettings(enabled: true, mode: .full))
        #expect(products.softDelete == false)
        let policy = try #require(config.policies["products"])
        #expect(Set(policy.roles.keys) == ["admin", "editor", "viewer"])
        #expect(policy.roles["admin"]?.actions == Set(Action.allCases))
        #expect(policy.roles["editor"]?.denyWrite == ["price"])
        #expect(config.hooks.isEmpty)
        #expect(config.collections["orders"]?.indexes == [DeclaredIndex(
            fields: [.init("status"), .init("created_at", .descending)], file: examplePoliciesDirectory + "/orders.yml",
            line: 18, key: "collections.orders.indexes[0]")])
    }

    @Test func defaults() throws {
        let config = try loadTestConfig([("base.yml", configBaseYAML)])
        #expect(config.server == ServerSettings())
        #expect(config.server.maxBatchSize == 1000)
        #expect(config.server.maxBodyBytes == 16 * 1024 * 1024)
        #expect(config.server.hookConcurrency == 16)
        #expect(config.database == DatabaseSettings(uri: "mongodb://127.0.0.1:27017", name: "app", poolSize: 16, serializeTransactions: false))
        #expect(config.collections.isEmpty)
    }

    @Test func allSettingsAreRead() throws {
        let yaml = """
            server:
              max_batch_size: 50
              max_body_bytes: 1048576
              hook_concurrency: 32
              listen: "0.0.0.0:9090"
            database:
              uri: mongodb+srv://cluster.example
              name: shop
              pool_size: 4
              serialize_transactions: true
            auth:
              jwt:
                secret: \(configTestSecret)
            collections:
              orders:
                versioning: { enabled: true, mode: diff, max_versions: 10, retention_days: 30 }
                soft_delete: true
            """
        let config = try loadTestConfig([("all.yaml", yaml)])
        #expect(config.server == ServerSettings(maxBatchSize: 50, maxBodyBytes: 1_048_576, hookConcurrency: 32, listenHost: "0.0.0.0", listenPort: 9090))
        #expect(config.database == DatabaseSettings(uri: "mongodb+srv://cluster.example", name: "shop", poolSize: 4, serializeTransactions: true))
        let orders = try #require(config.collections["orders"])
        #expect(orders.versioning == VersioningSettings(enabled: true, mode: .diff, maxVersions: 10, retentionDays: 30))
        #expect(orders.softDelete)
        #expect(orders.schema.root.fields.isEmpty)
        #expect(orders.schema.additionalFields == .allow)
    }

    @Test func filesAreMergedByTopLevelKey() throws {
        let config = try loadTestConfig([
            ("a.yml", "server:\n  max_batch_size: 10\ndatabase:\n  uri: mongodb://db\n"),
            ("b.yml", "server:\n  max_body_bytes: 2048\ndatabase:\n  name: other\nauth:\n  jwt:\n    secret: \(configTestSecret)\n"),
            ("c.yml", "collections:\n  orders:\n    fields:\n      total: { type: number }\n"),
            ("d.yml", "collections:\n  customers: {}\npolicies:\n  orders:\n    clerk: { actions: [read] }\n"),
            ("e.yml", "policies:\n  customers:\n    clerk: { actions: [create] }\n"),
        ])
        #expect(config.server.maxBatchSize == 10)
        #expect(config.server.maxBodyBytes == 2048)
        #expect(config.database.uri == "mongodb://db")
        #expect(config.database.name == "other")
        #expect(Set(config.collections.keys) == ["orders", "customers"])
        #expect(config.policies["orders"]?.roles["clerk"]?.actions == [.read])
        #expect(config.policies["customers"]?.roles["clerk"]?.actions == [.create])
    }

    @Test func directoryFilesAreReadSortedAndOnlyYAML() throws {
        let directory = try TemporaryDirectory([
            "10-base.yml": configBaseYAML,
            "20-orders.yaml": "collections:\n  orders: {}\n",
            "notes.txt": "collections: [this is not read]",
        ])
        defer { directory.remove() }
        let config = try ConfigLoader.load(directory: directory.path, environment: [:])
        #expect(Array(config.collections.keys) == ["orders"])
    }

    @Test func duplicateCollectionNamesBothFiles() {
        let lines = configProblemLines([
            ("base.yml", configBaseYAML),
            ("a.yml", "collections:\n  orders: {}\n"),
            ("b.yml", "\ncollections:\n  orders: {}\n"),
        ])
        #expect(lines == ["cfg/b.yml:3: collections.orders: defined in both cfg/a.yml:2 and cfg/b.yml"])
    }

    @Test func duplicatePolicyAndHooksAndSettingNameBothFiles() {
        let collection = "collections:\n  orders: {}\n"
        let policy = "policies:\n  orders:\n    viewer: { actions: [read] }\n"
        let hooks = "hooks:\n  orders:\n    post_create:\n      - url: http://127.0.0.1:9000/x\n"
        let found = configProblems([
            ("base.yml", configBaseYAML + "server:\n  max_batch_size: 5\n"),
            ("c.yml", collection + policy + hooks),
            ("d.yml", policy + hooks + "server:\n  max_batch_size: 6\n"),
        ])
        #expect(found.map(\.key) == ["policies.orders", "hooks.orders", "server.max_batch_size"])
        for problem in found {
            #expect(problem.file == "cfg/d.yml")
            #expect(problem.message.contains("cfg/c.yml") || problem.message.contains("cfg/base.yml"))
            #expect(problem.message.contains("cfg/d.yml"))
        }
    }

    @Test func unknownKeysAnywhereAreErrors() {
        let yaml = """
            servr:
              max_batch_size: 1
            server:
              max_batch: 1
            database:
              url: mongodb://x
            collections:
              orders:
                feilds: {}
                versioning: { enabled: true, keep: 3 }
                fields:
                  total: { type: number, minimum: 0 }
            policies:
              orders:
                clerk: { actions: [read], whenever: "x" }
            hooks:
              orders:
                pre_insert: []
                pre_create:
                  - { url: "http://h/x", retries: 3 }
            """
        let found = configProblems([("base.yml", configBaseYAML), ("c.yml", yaml)])
        #expect(found.map(\.key) == [
            "servr", "server.max_batch", "database.url", "collections.orders.feilds",
            "collections.orders.versioning.keep", "collections.orders.fields.total.minimum",
            "policies.orders.clerk.whenever", "hooks.orders.pre_insert", "hooks.orders.pre_create[0].retries",
        ])
        #expect(found.map(\.line) == [1, 4, 6, 9, 10, 12, 15, 18, 20])
        #expect(found.allSatisfy { $0.message.hasPrefix("unknown key") })
    }

    @Test func badValuesAreReportedWithFileAndLine() {
        let yaml = """
            server:
              max_batch_size: lots
              max_body_bytes: 0
              hook_concurrency: 4
              listen: "localhost"
            database:
              pool_size: -1
              serialize_transactions: maybe
            collections:
              orders:
                additional_fields: sometimes
                soft_delete: 1
                versioning: { mode: partial, max_versions: 0 }
                fields:
                  price: { type: number, min: "zero" }
            """
        let lines = configProblemLines(withBaseConfig(yaml))
        #expect(lines == [
            "cfg/c.yml:2: server.max_batch_size: must be an integer",
            "cfg/c.yml:3: server.max_body_bytes: must be at least 1",
            "cfg/c.yml:4: server.hook_concurrency: must be at least 8",
            "cfg/c.yml:5: server.listen: must be host:port, e.g. 127.0.0.1:8080 (port 0-65535)",
            "cfg/c.yml:7: database.pool_size: must be at least 1",
            "cfg/c.yml:8: database.serialize_transactions: must be true or false",
            "cfg/c.yml:11: collections.orders.additional_fields: must be one of allow, reject (got \"sometimes\")",
            "cfg/c.yml:12: collections.orders.soft_delete: must be true or false",
            "cfg/c.yml:13: collections.orders.versioning.mode: must be one of full, diff (got \"partial\")",
            "cfg/c.yml:13: collections.orders.versioning.max_versions: must be at least 1",
            "cfg/c.yml:15: collections.orders.fields.price.min: must be a number",
        ])
    }

    @Test func everyProblemIsCollectedAcrossFiles() {
        let found = configProblems([
            ("a.yml", "server:\n  max_batch_size: x\n"),
            ("b.yml", "database:\n  pool_size: y\n"),
        ])
        #expect(found.map(\.description) == [
            "cfg/a.yml:2: server.max_batch_size: must be an integer",
            "cfg/b.yml:2: database.pool_size: must be an integer",
            "database.uri: database.uri is required (or set PM_MONGODB_URI)",
            "auth.jwt: needs a key source: secret (or PM_JWT_SECRET), jwks_url or jwks_file",
        ])
    }

    @Test func missingAndShortSecret() {
        let noSecret = configProblems([("a.yml", "database:\n  uri: mongodb://x\n")])
        #expect(noSecret.map(\.description) == ["auth.jwt: needs a key source: secret (or PM_JWT_SECRET), jwks_url or jwks_file"])

        let short = configProblemLines([("a.yml", "database:\n  uri: mongodb://x\nauth:\n  jwt:\n    secret: change-me\n")])
        #expect(short == ["cfg/a.yml:5: auth.jwt.secret: must be at least 32 bytes for HS256 (has 9)"])

        let shortFromEnvironment = configProblemLines([("a.yml", "database:\n  uri: mongodb://x\n")], environment: ["PM_JWT_SECRET": "short"])
        #expect(shortFromEnvironment == ["auth.jwt.secret: must be at least 32 bytes for HS256 (has 5) (from PM_JWT_SECRET)"])
    }

    @Test func missingURIAndBadValues() {
        #expect(configProblemLines([("a.yml", "auth:\n  jwt:\n    secret: \(configTestSecret)\n")]) == [
            "database.uri: database.uri is required (or set PM_MONGODB_URI)",
        ])
        #expect(configProblemLines(withBaseConfig("database:\n  name: \"bad.name\"\n")).contains(
            "cfg/c.yml:2: database.name: must not contain \".\""))
        #expect(configProblemLines([("a.yml", "database:\n  uri: http://x\nauth:\n  jwt:\n    secret: \(configTestSecret)\n")]) == [
            "cfg/a.yml:2: database.uri: must start with mongodb:// or mongodb+srv://",
        ])
    }

    @Test func environmentOverridesFileSettings() throws {
        let environment = [
            "PM_MONGODB_URI": "mongodb://env-host:27018",
            "PM_DATABASE": "from_env",
            "PM_JWT_SECRET": String(repeating: "e", count: 32),
            "PM_LISTEN": "[::1]:9443",
        ]
        let config = try loadTestConfig([("a.yml", configBaseYAML + "server:\n  listen: 127.0.0.1:1\n")], environment: environment)
        #expect(config.database.uri == "mongodb://env-host:27018")
        #expect(config.database.name == "from_env")
        #expect(config.auth.jwtSecret == String(repeating: "e", count: 32))
        #expect(config.server.listenHost == "::1")
        #expect(config.server.listenPort == 9443)
    }

    @Test func environmentAloneSuppliesRequiredSettings() throws {
        let config = try loadTestConfig(
            [("a.yml", "collections:\n  orders: {}\n")],
            environment: ["PM_MONGODB_URI": "mongodb://h", "PM_JWT_SECRET": configTestSecret, "PM_DATABASE": ""])
        #expect(config.database.uri == "mongodb://h")
        #expect(config.database.name == "app")
    }

    @Test func badEnvironmentValuesAreProblems() {
        let lines = configProblemLines([("base.yml", configBaseYAML)], environment: ["PM_LISTEN": "nope", "PM_MONGODB_URI": "postgres://x"])
        #expect(lines == [
            "server.listen: must be host:port, e.g. 127.0.0.1:8080 (port 0-65535) (from PM_LISTEN)",
            "database.uri: must start with mongodb:// or mongodb+srv:// (from PM_MONGODB_URI)",
        ])
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("0.0.0.0:0", "0.0.0.0", 0), ("localhost:443", "localhost", 443),
        ("[::]:80", "::", 80),
    ])
    func listenAddresses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: ["8080", ":8080", "host:", "host:65536", "host:-1", "::1:80", "host:80x", "a b:1"])
    func invalidListenAddresses(text: String) {
        #expect((try? ListenAddress.parse(text).get()) == nil)
    }

    @Test func missingOrEmptyDirectory() throws {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(directory: "/nonexistent/pm-config", environment: [:]) }
        do {
            _ = try ConfigLoader.load(directory: "/nonexistent/pm-config", environment: [:])
        } catch {
            #expect(error.problems.first?.description == "/nonexistent/pm-config: configuration directory not found")
        }
        let empty = try TemporaryDirectory(["readme.md": "# nothing"])
        defer { empty.remove() }
        do {
            _ = try ConfigLoader.load(directory: empty.path, environment: [:])
            Issue.record("an empty directory must not load")
        } catch {
            #expect(error.problems.first?.message == "no *.yml or *.yaml files in the configuration directory")
        }
    }

    @Test func yamlSyntaxErrorsAreProblemsWithLines() {
        let found = configProblems([
            ("base.yml", configBaseYAML),
            ("broken.yml", "collections:\n  orders:\n    fields: {\n"),
            ("twice.yml", "server:\n  max_batch_size: 1\n  max_batch_size: 2\n"),
            ("list.yml", "- just\n- a list\n"),
        ])
        #expect(found.count == 3)
        #expect(found[0].file == "cfg/broken.yml")
        #expect(found[0].line != nil)
        #expect(found[0].message.hasPrefix("invalid YAML"))
        #expect(found[1].file == "cfg/list.yml")
        #expect(found[1].message == "must be a mapping")
        #expect(found[2].file == "cfg/twice.yml")
        #expect(found[2].message.contains("max_batch_size"))
    }

    @Test func emptyFilesAndEmptySectionsAreFine() throws {
        let config = try loadTestConfig([("base.yml", configBaseYAML), ("empty.yml", ""), ("comments.yml", "# nothing yet\nhooks:\n")])
        #expect(config.hooks.isEmpty)
    }

    @Test func collectionNamesAreChecked() {
        let lines = configProblemLines(withBaseConfig("collections:\n  batch: {}\n  _pm_versions: {}\n  \"a/b\": {}\n  ok-name_1: {}\n"))
        #expect(lines == [
            "cfg/c.yml:2: collections.batch: collection name \"batch\" is reserved",
            "cfg/c.yml:3: collections._pm_versions: collection name \"_pm_versions\" is reserved",
            "cfg/c.yml:4: collections.a/b: collection name must start with a letter or _ and contain only letters, digits, _ and -",
        ])
    }

    @Test func problemDescriptions() {
        #expect(ConfigProblem(file: "policies/products.yml", line: 12, key: "collections.products.fields.price.min", message: "must be a number").description
            == "policies/products.yml:12: collections.products.fields.price.min: must be a number")
        #expect(ConfigProblem(file: nil, line: nil, key: "auth.jwt.secret", message: "x").description == "auth.jwt.secret: x")
        #expect(ConfigProblem(file: "a.yml", line: nil, key: "", message: "x").description == "a.yml: x")
    }
}
