// In-process cost of the create pipeline, no database, no HTTP:
// JSON → BSON model → plan → stored form → schema → policy `when` → BSON bytes,
// for a realistic 13-field document (nested objects, an array, a date); and (`auth:`)
// the verification of one bearer token, per request.
//
//   cd Benchmarks && swift package benchmark
//
// Every benchmark uses scalingFactor .kilo and handles 1000 documents per iteration
// (1000 × one document, or one 1000-document batch), so the table shows time and
// allocations PER DOCUMENT or PER TOKEN (`--scale` shows them per 1000).
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

    // Authentication per request: one bearer token verified with its key already loaded
    // (signature, exp/iat/iss/aud, claim mapping), 1000 times per iteration.
    for algorithm in TokenVerificationProbe.Algorithm.allCases {
        Benchmark("auth: verify a \(algorithm.rawValue) token (cached key)") { benchmark in
            let probe = try await TokenVerificationProbe(algorithm, rsaPrivateKeyPEM: benchmarkRSAKey)
            let roles = try await probe.verify()
            precondition(roles == 2, "the benchmark token must verify")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await probe.verify()) }
            benchmark.stopMeasurement()
        }
    }
}

/// The RSA-2048 key the RS256 benchmark signs with (made once: generating one is slow).
let benchmarkRSAKey = """
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDaVqCIRbj42awF
dRhyQsYuDjUCp2gqhKKo9HAO2/z1HWD4GPMZsiVvmT+XMADFzAyjiLga89dAPP3S
R448mNzgbI+w6yaR0iVTC8Ghv+8ClZIASSX5XMpnZBhhc/YcX1mTtrIIYI8wGAea
9Poy19hJYnqTlvLtIaLS2omr49L0y2evBS5YkSm2eRkvnz/926fS3ZhbhSBb3mmA
YBrU0Gk0X9UyRhzU9oBmkHAU19MAyrMYcgTG/ccs40WdmhOSzWjW99J7I7KRF57G
JDydsAYLP8M41JzXvQjIaMDXfqKHy2a1T18hN0X972LcJK8Ed9SJhFDGWtgWgZBl
11CBruK5AgMBAAECggEAV1gnUUyfIkIl/GrrFC6dTGhXkY+57qRv0+oxd+hOihou
JCILAmEPc9UZKNjFvlsSRUuY5wNcPXEI01nXz2sRlWAonYx8ugIY919xH02ChoSi
SyX4IIkb2X+j9zxmHNSSJ7MDBrHmJkW+qSFOhA9wEW9pfOh6lx2JHxPY1mBGELIf
R00CVJongHLIcJfEyjYnmb0EnrUiJ5rPosMkdGmvIDjYinRvUgUe3d3OZxEgMGVJ
YyE/2HlzEnaQDN9gXOgxKjXJEXxOXUM5rukBae0VSPuk79LLndjXAvRBL4ggfVrO
UzLRJ3fFA5u6SZ+m/HFcZxaTz0mtW1yEChXyV3esdwKBgQDt31KjWssRCfeDim0b
cb3mtEvp/iDZEnQKgJ3i3rpj+iJbkY75jG8rzfl74YqUZQ1lYRIFJbsgquZv97xx
zqjVG7TXa8O1te/QM2hzqF3NWURP3TYmNC56L9v9k4Xm40pp3BzNokW/Woge8d2S
4irwO5sSg2ugw1lOJdT6HcGmawKBgQDq+jbJaNskhuQC8fKMRAaTSnlONP0eQQ/1
ooPYjpYOgTGl1CAkaptyRTlLnPj5hQcNRsjQxJ6Xm6g4bQmJGS5dgWXbTuig2ETr
k8RIJCRPzp4Coxy393kgGSj0MAZOLZ0ZDFUqURrarqoR5ynavsrJYRp2RtNhjkhJ
h0j27wf8awKBgEO/+Z+BOpktx4t1n8HTUY0mCQEqWly5PsfG/jEh0uCq26JNAPXe
o8NMNSSthnThm0EmtqU0q+mQA3Ycj1Wy0K9x5r38eY+FtDoOik92wtC7/hLpJIUZ
E6vFedjtbZPnZMhl4uZGs6retCpsJPmy5RvrPi21tK/jM8poSBK86uzlAoGAa2Ta
n2kWJ3ajRZlRMrxwiOcT1COxwB8abTjOq65XdN+lUlZGLn6u9yYeTqm6vUgIdg/w
/kGu/jm9Q7TKE+f3YfMfG4HQHptZvJW3swUZt4QGgcwM9yPbL0lwh1Jfv2FnmKgj
UIjrDiGgRzhwz7I9upZv4rjyKXc/IKP9PCb5bmsCgYEAtoNX34ct1olzeJyqiBlO
Y1yPkgdwoOchE+aYZqX6NU5cfYT3+J/18d+elUZZvF4RbA2z6giaTE2AGofEhCXo
oaHzlevHHPm99CjhtqVcNO1ZC1SYNIxedy4xB4SR/Ux6eEFDGoZAQa6gld9VTR4C
qIr9pCyntDpDiI5D0S3kKDs=
-----END PRIVATE KEY-----
"""
