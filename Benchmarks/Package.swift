// swift-tools-version: 6.1
// Benchmarks, kept out of the root package so `swift test` never builds them.
//   swift package benchmark            in-process pipeline: time and allocations per document
//   ../scripts/bench                   load: the release gateway vs its ceilings (the same work through libmongoc)
import PackageDescription

let package = Package(
    name: "permission-mongo-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "permission-mongo", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // parse → plan → stored form → schema → policy → BSON, no database (CreatePipelineProbe).
        .executableTarget(
            name: "Pipeline",
            dependencies: [
                "BenchmarkDocuments",
                .product(name: "PermissionMongo", package: "permission-mongo"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Pipeline",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The benchmark document (the load script's shape), shared by Pipeline and Profile.
        .target(name: "BenchmarkDocuments", path: "Sources/BenchmarkDocuments"),
        // One stage of the same pipeline in a loop, for `perf record`.
        .executableTarget(
            name: "Profile",
            dependencies: ["BenchmarkDocuments", .product(name: "PermissionMongo", package: "permission-mongo")],
            path: "Profile"
        ),
        // libmongoc/libbson for the ceiling program.
        .systemLibrary(
            name: "CMongoCBench",
            path: "Sources/CMongoCBench",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        // What the gateway asks of the database for a create, update, delete or read, straight
        // through libmongoc (insert_many; update_many / delete_many, versioned in a transaction;
        // insert_one, find): the calls of the ceiling and pair programs.
        .target(name: "CeilingCalls", dependencies: ["CMongoCBench"], path: "Sources/CeilingCalls"),
        // The ceilings: those calls from CLIENTS threads, timed.
        .executableTarget(name: "ceiling", dependencies: ["CeilingCalls"], path: "Sources/ceiling"),
        // A single-document request to the gateway and its ceiling call, timed in turns.
        .executableTarget(name: "pair", dependencies: ["CeilingCalls"], path: "Sources/pair"),
        // The floor of a gateway on this stack: Hummingbird and one libmongoc call on a thread
        // pool per request (the ceiling's inserts), none of the gateway's own work.
        .target(name: "FloorStore", dependencies: ["CeilingCalls"], path: "Sources/FloorStore"),
        .executableTarget(
            name: "floor",
            dependencies: ["FloorStore", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/floor"
        ),
    ]
)
