// In-process cost of the create pipeline, no database, no HTTP:
// JSON → BSON model → plan → stored form → schema → policy `when` → BSON bytes,
// for a realistic 13-field document (nested objects, an array, a date).
//
//   cd Benchmarks && swift package benchmark
//
// Every benchmark uses scalingFactor .kilo and handles 1000 documents per iteration
// (1000 × one document, or one 1000-document batch), so the table shows time and
// allocations PER DOCUMENT (`--scale` shows them per 1000).
import Benchmark
import BenchmarkDocuments
import Foundation
import PermissionMongo

let configDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("config").path

let benchmarks: @Sendable () -> Void = {
    let probe = try! CreatePipelineProbe(
        configDirectory: configDirectory, collection: "items", userId: "u", tenantId: "t", roles: ["admin"])
    let one = BenchmarkDocuments.body(documents: 1)
    let thousand = BenchmarkDocuments.body(documents: 1000)
    let batchOne = try! probe.parse(one)
    let storedOne = probe.stored(batchOne)
    precondition(try! probe.run(body: one) > 0 && probe.validate(storedOne) == 1 && probe.authorize(storedOne) == 1,
                 "the benchmark document must pass schema and policy")
    precondition(try! probe.run(body: thousand, through: .authorize) == 1000)
    precondition(try! probe.runEncoded(body: one) == 1 && probe.runEncoded(body: thousand) == 1000,
                 "the benchmark documents must take the byte path and pass")

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    // One document per request body, 1000 times per iteration.
    Benchmark("doc: JSON → BSON model (parse + plan)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try probe.parse(one)) }
    }
    Benchmark("doc: BSON model → bytes (encode)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(probe.encode(storedOne)) }
    }
    Benchmark("doc: schema validation") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(probe.validate(storedOne)) }
    }
    Benchmark("doc: policy evaluation") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(probe.authorize(storedOne)) }
    }
    for stage in CreatePipelineProbe.Stage.allCases {
        Benchmark("doc: pipeline through \(stage)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try probe.run(body: one, through: stage)) }
        }
    }

    // The byte path (what `POST /{collection}/batch` runs): JSON → BSON bytes → stored form
    // checked on bytes → policy on the stored bytes.
    for stage in CreatePipelineProbe.EncodedStage.allCases {
        Benchmark("doc: byte path through \(stage)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try probe.runEncoded(body: one, through: stage)) }
        }
    }
    for stage in CreatePipelineProbe.EncodedStage.allCases {
        Benchmark("batch1000: byte path through \(stage)") { _ in
            blackHole(try probe.runEncoded(body: thousand, through: stage))
        }
    }

    // One 1000-document body per iteration.
    Benchmark("batch1000: pipeline through parse") { _ in
        blackHole(try probe.run(body: thousand, through: .parse))
    }
    Benchmark("batch1000: whole pipeline") { _ in
        blackHole(try probe.run(body: thousand, through: .encode))
    }
}
