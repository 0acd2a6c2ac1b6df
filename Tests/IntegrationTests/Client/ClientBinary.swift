import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `permission-mongo` executable, run as a subprocess. `swift test` builds it
/// next to the test bundle (`.build/debug/permission-mongo`); `PM_CLIENT_BINARY` overrides.
enum ClientBinary {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    typealias Result = ChildProcess.Output

    static func path() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["PM_CLIENT_BINARY"], !explicit.isEmpty { return explicit }
        var candidates: [String] = []
        // The test bundle (Linux: `<PackageName>PackageTests.xctest`) sits in the build directory.
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("permission-mongo").path)
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("permission-mongo").path)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("permission-mongo").path)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw NotFound(description: "permission-mongo not found (tried \(candidates.joined(separator: ", "))); build it or set PM_CLIENT_BINARY")
    }

    /// Starts `permission-mongo arguments...` with piped stdin, stdout and stderr, and without
    /// the caller's `PM_TOKEN` / `PM_URL` (each test passes what it means).
    static func launch(_ arguments: [String]) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["PM_TOKEN"] = nil
        environment["PM_URL"] = nil
        environment["MONGOC_DISABLE_SHM"] = "1"
        return try ChildProcess.spawn(executable: try path(), arguments: arguments, environment: environment)
    }

    /// Runs `permission-mongo arguments...` with `stdin`, waiting at most `timeout`.
    static func run(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(120)) async throws -> Result {
        try await ChildProcess.run(launch(arguments), stdin: stdin, timeout: timeout)
    }
}
