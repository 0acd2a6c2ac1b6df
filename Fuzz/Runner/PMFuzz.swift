import Foundation
import PMFuzzTargets

// `scripts/fuzz` builds this with `-DFUZZING -sanitize=fuzzer,address`: libFuzzer then
// drives the target named by `PM_FUZZ_TARGET`. In a plain build it replays files instead:
// `pm-fuzz TARGET FILE|DIRECTORY...`.

#if FUZZING
import CLibFuzzer

nonisolated(unsafe) private var selected: FuzzTarget = .json

/// SwiftPM links an executable with `main` set to this (`<module>_main`): it hands over to
/// libFuzzer's driver with the target named by `PM_FUZZ_TARGET`.
@_cdecl("pm_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["PM_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("PM_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue)), not '\(name)'")
    }
    selected = target
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzerTestOneInput)
}

/// One input (libFuzzer's own driver code refers to this name too).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let broken = selected.run(bytes) { fatalError("\(selected.rawValue): \(broken)") }
    return 0
}
#else
@main
struct PMFuzz {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            FileHandle.standardError.write(Data("usage: pm-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE|DIRECTORY...\n".utf8))
            exit(2)
        }
        var failures = 0
        for path in arguments.dropFirst() {
            for file in try files(at: path) {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                if let broken = target.run(bytes) {
                    failures += 1
                    print("\(file): \(broken)")
                }
            }
        }
        exit(failures == 0 ? 0 : 1)
    }

    private static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
    }
}
#endif
