import Foundation
import PMClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ClientBinary {
    /// Runs `permission-mongo arguments...` and kills it with SIGKILL as soon as `condition`
    /// holds (checked every 10 ms), as a crash or a power cut would stop it. Returns false
    /// when it ended by itself first; gives up (killing it) after `timeout`.
    static func runAndKill(_ arguments: [String], when condition: @Sendable () -> Bool, timeout: Duration = .seconds(120)) async throws -> Bool {
        let process = try launch(arguments)
        process.closeInput()
        async let drainedOut = ChildProcess.readAll(process.outputDescriptor)
        async let drainedErr = ChildProcess.readAll(process.errorDescriptor)
        let deadline = ContinuousClock.now + timeout
        var killed = false
        while process.isRunning {
            if condition() || ContinuousClock.now > deadline {
                process.kill()
                killed = true
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        _ = await (drainedOut, drainedErr)
        process.waitUntilExit()
        return killed && process.endedBySignal
    }

    /// Chunks an import's checkpoint at `path` confirms (0 when there is none).
    static func confirmedChunks(inCheckpoint path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").filter { $0.hasPrefix(#"{"confirmed":"#) && $0.hasSuffix("}") }.count
    }

    /// Runs the same `batch` twice: both succeed, the second prints the first one's output
    /// again and says on standard error that it is a replay.
    static func expectBatchReplayed(_ arguments: [String]) async throws {
        let first = try await run(arguments)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stderr == "")
        let second = try await run(arguments)
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout == first.stdout)
        #expect(second.stderr == BatchRunner.replayedNote)
    }
}
