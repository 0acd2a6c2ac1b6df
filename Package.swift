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
    ],
    targets: [
        // The only C in the project: libmongoc/libbson through pkg-config.
        .systemLibrary(
            name: "CMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        // Document model (BSON values), strict JSON reader/writer, BSON bytes codec. Pure Swift.
        .target(name: "PMBSON"),
        // The `when` language: lexer → parser → AST → evaluator and MongoDB-filter compiler.
        .target(name: "PMPolicy", dependencies: ["PMBSON"]),
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
                "PMPolicy",
                "PMMongo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "permission-mongo",
            dependencies: [
                "PermissionMongo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Starts a throwaway SecantusDB for the test suites (or uses PM_TEST_MONGODB_URI).
        .target(name: "PMTestSupport", dependencies: ["PMMongo"], path: "Tests/PMTestSupport"),
        .testTarget(name: "PMBSONTests", dependencies: ["PMBSON"]),
        .testTarget(name: "PMPolicyTests", dependencies: ["PMPolicy", "PMBSON"]),
        .testTarget(name: "PMMongoTests", dependencies: ["PMMongo", "PMBSON", "PMTestSupport"]),
        .testTarget(name: "PermissionMongoTests", dependencies: ["PermissionMongo", "PMBSON"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PermissionMongo", "PMBSON", "PMMongo", "PMTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
    ]
)
