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

    struct Result: Sendable {
        var stdout: String
        var stderr: String
        var status: Int32
        var timedOut: Bool

        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

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
    static func launch(_ arguments: [String]) throws -> (process: Process, stdin: Pipe, stdout: Pipe, stderr: Pipe) {
        // Foundation's `Process.run()` on Linux has failed under load when many tests
        // launched at once (a crash inside it, and once EINTR): launches take turns, and
        // an interrupted one is tried again with a new `Process`.
        try launchTurns.withLock {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try launchOnce(arguments)
                } catch let error as NSError where error.domain == NSPOSIXErrorDomain && error.code == Int(EINTR) && attempt < 5 {
                    continue
                }
            }
        }
    }

    private static let launchTurns = NSLock()

    private static func launchOnce(_ arguments: [String]) throws -> (process: Process, stdin: Pipe, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PM_TOKEN"] = nil
        environment["PM_URL"] = nil
        environment["MONGOC_DISABLE_SHM"] = "1"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, input, output, errors)
    }

    /// Runs `permission-mongo arguments...` with `stdin`, waiting at most `timeout`.
    static func run(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(120)) async throws -> Result {
        let (process, input, output, errors) = try launch(arguments)
        let box = ProcessBox(process)

        async let stdoutData = readToEnd(output.fileHandleForReading)
        async let stderrData = readToEnd(errors.fileHandleForReading)
        if let stdin { try input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()

        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while box.process.isRunning {
            if ContinuousClock.now > deadline {
                timedOut = true
                kill(box.process.processIdentifier, SIGKILL)
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let out = await stdoutData
        let err = await stderrData
        box.process.waitUntilExit()
        return Result(
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
            status: box.process.terminationStatus, timedOut: timedOut)
    }

    /// All of a pipe, read on a thread of its own (not the cooperative pool).
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: handle.readDataToEndOfFile())
            }
        }
    }
}

/// A `Process` handed between tasks; only its thread-safe members are used.
final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
