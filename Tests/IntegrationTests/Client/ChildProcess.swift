import Foundation
import PMTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A child process started by `PosixSpawn`, its standard input, output and error piped:
/// every pipe end is close-on-exec, the child gets only its three, and every other
/// inherited descriptor is closed in the child.
final class ChildProcess: @unchecked Sendable {
    // `@unchecked`: `waitStatus` and `inputDescriptor` change only under `lock`.
    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// Read ends of the child's standard output and error; `readAll` drains and closes them.
    let outputDescriptor: Int32
    let errorDescriptor: Int32
    private var inputDescriptor: Int32
    private let lock = NSLock()
    private var waitStatus: Int32?

    private init(pid: pid_t, input: Int32, output: Int32, error: Int32) {
        self.pid = pid
        inputDescriptor = input
        outputDescriptor = output
        errorDescriptor = error
    }

    deinit {
        if inputDescriptor >= 0 { close(inputDescriptor) }
    }

    static func spawn(executable: String, arguments: [String], environment: [String: String]) throws -> ChildProcess {
        // A child that exits before reading its input must give the writer EPIPE, not kill it.
        signal(SIGPIPE, SIG_IGN)
        let input = try pipe()
        let output = try pipe()
        let errors = try pipe()
        let childEnds = [input.read, output.write, errors.write]
        defer { childEnds.forEach { close($0) } }

        let pid: pid_t
        do {
            pid = try PosixSpawn.spawn([executable] + arguments, environment: environment.map { "\($0.key)=\($0.value)" }) { actions in
                for (descriptor, target) in zip(childEnds, [Int32(0), 1, 2]) {
                    posix_spawn_file_actions_adddup2(&actions, descriptor, target)
                }
                guard GNU.addCloseFrom(&actions, 3) == 0 else {
                    throw SpawnError(description: "posix_spawn_file_actions_addclosefrom_np failed")
                }
            }
        } catch {
            [input.write, output.read, errors.read].forEach { close($0) }
            throw error
        }
        return ChildProcess(pid: pid, input: input.write, output: output.read, error: errors.read)
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard GNU.pipe2(&descriptors, O_CLOEXEC) == 0 else {
            throw SpawnError(description: "pipe2 failed: \(String(cString: strerror(errno)))")
        }
        return (descriptors[0], descriptors[1])
    }

    /// glibc's `pipe2` and `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's
    /// Glibc module leaves out (they are `_GNU_SOURCE` declarations).
    private enum GNU {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        typealias AddCloseFrom = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32

        static let pipe2: Pipe2 = symbol("pipe2")
        private static let addCloseFromFunction: AddCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np")

        static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ from: Int32) -> Int32 {
            withUnsafeMutablePointer(to: &actions) { addCloseFromFunction(UnsafeMutableRawPointer($0), from) }
        }

        private static func symbol<T>(_ name: String) -> T {
            guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("glibc has no \(name)") }
            return unsafeBitCast(address, to: T.self)
        }
    }

    /// Writes all of `bytes` to the child's standard input.
    func write(_ bytes: some Collection<UInt8>) throws {
        let descriptor = lock.withLock { inputDescriptor }
        guard descriptor >= 0 else { throw SpawnError(description: "standard input is closed") }
        var remaining = Array(bytes)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw SpawnError(description: "writing to the child failed: \(String(cString: strerror(errno)))")
            }
            remaining = remaining.dropFirst(written)
        }
    }

    /// Closes the child's standard input (it reads end of file). Idempotent.
    func closeInput() {
        lock.withLock {
            if inputDescriptor >= 0 { close(inputDescriptor) }
            inputDescriptor = -1
        }
    }

    /// What a child printed and how it ended.
    struct Output: Sendable {
        var stdout: String
        var stderr: String
        var status: Int32
        var timedOut: Bool

        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs `executable arguments...` to its end with the test process's environment.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Output {
        try await run(spawn(executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment),
                      stdin: nil, timeout: timeout)
    }

    /// Feeds `stdin` to `process` and reads its output until it ends; killed after `timeout`.
    static func run(_ process: ChildProcess, stdin: String?, timeout: Duration) async throws -> Output {
        async let stdoutData = readAll(process.outputDescriptor)
        async let stderrData = readAll(process.errorDescriptor)
        defer { process.kill() }
        if let stdin { try? process.write(Array(stdin.utf8)) }
        process.closeInput()

        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now > deadline {
                timedOut = true
                process.kill()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let out = await stdoutData
        let err = await stderrData
        process.waitUntilExit()
        return Output(
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
            status: process.terminationStatus, timedOut: timedOut)
    }

    /// Reads `descriptor` to its end on a thread of its own (not the cooperative pool) and closes it.
    static func readAll(_ descriptor: Int32) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                readChunks(descriptor) { bytes.append(contentsOf: $0) }
                continuation.resume(returning: bytes)
            }
        }
    }

    /// Calls `chunk` with what each `read(2)` returns until end of file, then closes `descriptor`.
    /// Blocks the calling thread.
    static func readChunks(_ descriptor: Int32, _ chunk: (ArraySlice<UInt8>) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            chunk(buffer[0..<count])
        }
        close(descriptor)
    }

    /// Whether the child has not ended yet (reaps it once it has).
    var isRunning: Bool {
        lock.withLock {
            if waitStatus == nil { reap(options: WNOHANG) }
            return waitStatus == nil
        }
    }

    /// Waits until the child has ended.
    func waitUntilExit() {
        lock.withLock {
            while waitStatus == nil { reap(options: 0) }
        }
    }

    /// Sends `signal`, unless the child was already reaped (its pid may belong to another process by then).
    func kill(_ signal: Int32 = SIGKILL) {
        lock.withLock {
            if waitStatus == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    /// The exit code, or the number of the signal that ended it. Call after `waitUntilExit`.
    var terminationStatus: Int32 {
        let status = lock.withLock { waitStatus } ?? 0
        return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    }

    /// Whether a signal ended the child. Call after `waitUntilExit`.
    var endedBySignal: Bool {
        let status = lock.withLock { waitStatus } ?? 0
        return status & 0x7f != 0
    }

    /// Under `lock`.
    private func reap(options: Int32) {
        var status: Int32 = 0
        let result = waitpid(pid, &status, options)
        if result == pid {
            waitStatus = status
        } else if result < 0 && errno != EINTR {
            waitStatus = status  // ECHILD: nothing left to wait for
        }
    }
}
