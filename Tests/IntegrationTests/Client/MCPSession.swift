import Foundation
import PMBSON

#if canImport(Glibc)
import Glibc
#endif

/// `permission-mongo mcp` as a subprocess, spoken to in newline-delimited JSON-RPC the way
/// an MCP client does over stdio.
final class MCPSession: @unchecked Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    private let process: ChildProcess
    private let lock = NSLock()
    private var lines: [String] = []
    private var stderrText = ""
    private var stdoutClosed = false

    init(arguments: [String]) throws {
        process = try ClientBinary.launch(["mcp"] + arguments)
        let output = process.outputDescriptor
        let errors = process.errorDescriptor
        Thread.detachNewThread { [self] in
            var pending: [UInt8] = []
            ChildProcess.readChunks(output) { chunk in
                pending.append(contentsOf: chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    locked { lines.append(line) }
                }
            }
            locked { stdoutClosed = true }
        }
        Thread.detachNewThread { [self] in
            var bytes: [UInt8] = []
            ChildProcess.readChunks(errors) { bytes.append(contentsOf: $0) }
            let text = String(decoding: bytes, as: UTF8.self)
            locked { stderrText = text }
        }
    }

    /// Writes one message (one line).
    func send(_ json: String) throws {
        precondition(!json.contains("\n"))
        try process.write(Array((json + "\n").utf8))
    }

    /// The response with `id`, waiting up to `timeout`.
    func response(id: Int, timeout: Duration = .seconds(60)) async throws -> BSONDocument {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = locked { lines.compactMap { try? JSONReader.parseDocument($0) }.first { $0["id"].flatMap(Self.int) == id } }
            if let found { return found }
            if locked({ stdoutClosed }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Timeout(description: "no response with id \(id); stdout so far: \(stdoutLines), stderr: \(locked { stderrText })")
    }

    /// Sends a request and waits for its response.
    func request(id: Int, _ method: String, params: String = "{}") async throws -> BSONDocument {
        try send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        return try await response(id: id)
    }

    var stdoutLines: [String] { locked { lines } }

    /// Closes standard input (the client is done) and waits for the server to exit.
    func finish(timeout: Duration = .seconds(30)) async throws -> (status: Int32, stderr: String) {
        process.closeInput()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.kill()
                throw Timeout(description: "permission-mongo mcp did not exit after standard input was closed")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        // The readers finish once the pipes are drained.
        for _ in 0..<100 where !locked({ stdoutClosed }) { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, locked { stderrText })
    }

    /// Kills the server if a test ended early.
    func terminate() {
        process.kill()
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private static func int(_ value: BSON) -> Int? {
        switch value {
        case .int32(let v): Int(v)
        case .int64(let v): Int(v)
        default: nil
        }
    }
}
