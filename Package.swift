// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "permission-mongo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "permission-mongo", targets: ["permission-mongo"]),
        .library(name: "PermissionMongo", targets: ["PermissionMongo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // HTTP/1 parts as swift-http-types values, for the connection handlers beside Hummingbird's.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // Hooks: HMAC signatures, metrics exposed as Prometheus text, the outbox worker.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Client side: `permission-mongo mcp` speaks MCP over stdio.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
    ],
    targets: [
        // The only C in the project: libmongoc/libbson through pkg-config.
        .systemLibrary(
            name: "CMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        // libcurl through pkg-config, with typed wrappers for the variadic curl_easy_setopt.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Thin safe layer over libcurl: one multi handle on its own thread, async requests.
        .target(name: "PMCurl", dependencies: ["CCurl"]),
        // Document model (BSON values), strict JSON reader/writer, BSON bytes codec. Pure Swift.
        .target(name: "PMBSON"),
        // The `when` language: lexer → parser → AST → evaluator and MongoDB-filter compiler.
        .target(name: "PMPolicy", dependencies: ["PMBSON"]),
        // YAML configuration files: a directory's files merged by top-level key, nodes that
        // report every problem with file, line and key.
        .target(
            name: "PMConfigFiles",
            dependencies: ["PMBSON", .product(name: "Yams", package: "Yams")]
        ),
        // Collection schemas, one file per field type and per rule: YAML, validation on
        // values and on BSON bytes, typing of update values, filters and CSV cells, description.
        .target(
            name: "PMSchema",
            dependencies: ["PMBSON", "PMConfigFiles", .product(name: "Yams", package: "Yams")]
        ),
        // Thin safe layer over libmongoc: pool, collections, sessions, transactions.
        .target(
            name: "PMMongo",
            dependencies: [
                "CMongoC",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The gateway: config, auth, plan, validate, authorize, write, result, HTTP.
        .target(
            name: "PermissionMongo",
            dependencies: [
                "PMBSON",
                "PMConfigFiles",
                "PMSchema",
                "PMPolicy",
                "PMMongo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                "PMCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SIGHUP: reload the configuration.
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The client side: `batch`, `import` and `mcp` talk to a running gateway over HTTP.
        .target(
            name: "PMClient",
            dependencies: [
                "PMBSON",
                "PMCurl",
                "PMConfigFiles",
                "PMSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // glibc's malloc_trim for the server process.
        .systemLibrary(name: "CMalloc"),
        .executableTarget(
            name: "permission-mongo",
            dependencies: [
                "PermissionMongo",
                "PMBSON",
                "PMConfigFiles",
                "PMClient",
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Starts a throwaway SecantusDB for the test suites (or uses PM_TEST_MONGODB_URI).
        .target(
            name: "PMTestSupport",
            dependencies: ["PMMongo", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/PMTestSupport"),
        // Small test helpers: the seeded generator, random policy cases, temporary directories,
        // the shared schema fixtures.
        .target(name: "PMTestKit", dependencies: ["PMSchema", "PMConfigFiles", "PMPolicy", "PMBSON"], path: "Tests/PMTestKit"),
        // Fuzzing (scripts/fuzz): the targets, and the binary libFuzzer drives (or that replays files).
        .target(
            name: "PMFuzzTargets",
            dependencies: ["PMBSON", "PMPolicy", "PMSchema", "PMTestKit", "PermissionMongo", "PMClient"],
            path: "Fuzz/Targets"),
        .target(name: "CLibFuzzer", path: "Fuzz/LibFuzzer"),
        .executableTarget(name: "pm-fuzz", dependencies: ["PMFuzzTargets", "CLibFuzzer"], path: "Fuzz/Runner"),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["PMFuzzTargets"]),
        .testTarget(name: "PMBSONTests", dependencies: ["PMBSON"]),
        .testTarget(name: "PMPolicyTests", dependencies: ["PMPolicy", "PMBSON", "PMTestKit"]),
        .testTarget(name: "PMMongoTests", dependencies: ["PMMongo", "PMBSON", "PMTestSupport"]),
        // Property test: the `when` evaluator agrees with its compiled filter run on SecantusDB.
        .testTarget(
            name: "PolicyConsistencyTests", dependencies: ["PMPolicy", "PMBSON", "PMMongo", "PMTestSupport", "PMTestKit"]),
        .testTarget(name: "PMSchemaTests", dependencies: ["PMSchema", "PMConfigFiles", "PMBSON", "PMTestKit"]),
        .testTarget(
            name: "PermissionMongoTests",
            dependencies: ["PermissionMongo", "PMSchema", "PMConfigFiles", "PMBSON", "PMTestKit"]),
        .testTarget(
            name: "PMClientTests",
            dependencies: ["PMClient", "PMSchema", "PMBSON", "PMTestKit", .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(
            name: "PMCurlTests",
            dependencies: ["PMCurl", "PMTestSupport", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PermissionMongo", "PMSchema", "PMBSON", "PMMongo", "PMTestSupport", "PMTestKit", "PMClient", "PMCurl",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                // RSA keys generated by the identity-provider tests.
                .product(name: "CryptoExtras", package: "swift-crypto"),
                // docker/compose.yml, read by the container files' test.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
