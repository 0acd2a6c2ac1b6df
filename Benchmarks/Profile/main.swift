// Runs one stage of the in-process create pipeline in a loop, for `perf record`
// (where the time goes). No database, no HTTP.
//
//   swift build -c release --product Profile
//   perf record -e cpu-clock -g .build/release/Profile encoded-authorize 20
//
// Stages: encoded-parse, encoded-validate, encoded-authorize (the route's byte path),
// model (the model path through encode). The count is of request bodies, of 1000 documents
// each (PROFILE_DOCUMENTS=n for n). Under `valgrind --tool=callgrind` (on a copy stripped
// with `strip --strip-debug`), two counts give instructions per document.
import BenchmarkDocuments
import Foundation
import PermissionMongo

let arguments = CommandLine.arguments
let stage = arguments.count > 1 ? arguments[1] : "encoded-authorize"
let batches = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
let configDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("config").path
let probe = try CreatePipelineProbe(
    configDirectory: configDirectory, collection: "items", userId: "u", tenantId: "t", roles: ["admin"])
let documentsPerBody = Int(ProcessInfo.processInfo.environment["PROFILE_DOCUMENTS"] ?? "") ?? 1000
let body = BenchmarkDocuments.body(documents: documentsPerBody)

let start = ContinuousClock.now
var passed = 0
for _ in 0..<batches {
    switch stage {
    case "encoded-parse": passed += try probe.runEncoded(body: body, through: .parse)
    case "encoded-validate": passed += try probe.runEncoded(body: body, through: .validate)
    case "encoded-authorize": passed += try probe.runEncoded(body: body, through: .authorize)
    default: passed += try probe.run(body: body, through: .encode)
    }
}
let elapsed = ContinuousClock.now - start
let perDocument = Double(elapsed.components.seconds) * 1e6 / Double(batches * documentsPerBody)
    + Double(elapsed.components.attoseconds) / 1e12 / Double(batches * documentsPerBody)
print("\(stage): \(batches) × \(documentsPerBody) documents, \(passed) passed, \(String(format: "%.2f", perDocument)) µs per document")
