import Foundation
import PMFuzzTargets
import Testing

/// Every file of `Fuzz/Corpus/<target>/` — the seeds, and the input of every problem a
/// fuzzer found — run through its target: what the target checks holds for each.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFileHolds(_ target: FuzzTarget) throws {
        let directory = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.count >= 3, "the \(target.rawValue) corpus has seeds")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
            let broken = target.run(bytes)
            #expect(broken == nil, "\(target.rawValue)/\(file): \(broken ?? "")")
        }
    }
}
