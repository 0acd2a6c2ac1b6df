import Foundation
import PMTestKit
import PMTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A SecantusDB of one test's own, with its data on disk in `storage` (not in memory), on a
/// fixed port: it can be killed with SIGKILL and started again on the same data and port,
/// where the gateway finds it again.
final class OwnedBackend: @unchecked Sendable {
    // `@unchecked`: `current` is only touched under `lock`.
    let port: Int
    let storage: String
    private let lock = NSLock()
    private var current: ServerProcess?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` with a backend started on storage of its own, then stops the backend
    /// (waiting on a thread of its own, see `stopped()`) and removes the storage.
    static func with<T>(syncOnCommit: Bool, _ body: (OwnedBackend) async throws -> T) async throws -> T {
        let storage = try TemporaryDirectory([:])
        defer { storage.remove() }
        let backend = try await start(storage: storage.path + "/data", syncOnCommit: syncOnCommit)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(backend))
        } catch {
            outcome = .failure(error)
        }
        await backend.stopped()
        return try outcome.get()
    }

    /// Started and answering a ping (within 60 s).
    /// - Parameter syncOnCommit: `--sync-on-commit`: every commit synced to disk, whatever
    ///   the write concern asks; without it only writes with `j: true` wait for the journal.
    private static func start(storage: String, syncOnCommit: Bool) async throws -> OwnedBackend {
        let backend = OwnedBackend(port: try TestBackend.freePort(), storage: storage)
        try await backend.restart(syncOnCommit: syncOnCommit)
        return backend
    }

    private init(port: Int, storage: String) {
        self.port = port
        self.storage = storage
    }

    var uri: String { "mongodb://127.0.0.1:\(port)/?directConnection=true" }

    /// Starts it (again) on `storage` and `port`; returns once it answers a ping.
    func restart(syncOnCommit: Bool) async throws {
        let work = try TemporaryDirectory([:]).path
        let server = try ServerProcess.spawn(
            executable: try TestBackend.secantusExecutable(),
            arguments: [
                "--host", "127.0.0.1", "--port", String(port), "--storage-path", storage, "--log-level", "WARNING",
            ] + (syncOnCommit ? ["--sync-on-commit"] : []),
            workDirectory: work)
        lock.withLock { current = server }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                if TestBackend.canConnect(port: port) {
                    try await TestBackend.ping(uri: uri)
                    return
                }
            } catch {}
            if let status = server.exitStatus() { throw Failure(description: "SecantusDB \(status): \(server.logTail())") }
            guard ContinuousClock.now < deadline else {
                throw Failure(description: "SecantusDB did not answer within 60 s: \(server.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// SIGKILL to SecantusDB itself (not its watchdog): nothing is flushed or closed.
    /// Returns once the port no longer accepts connections.
    func kill() async throws {
        guard let server = lock.withLock({ current }) else { throw Failure(description: "not running") }
        Glibc.kill(try backendPid(of: server), SIGKILL)
        for _ in 0..<200 where TestBackend.canConnect(port: port) {
            try await Task.sleep(for: .milliseconds(50))
        }
        // The watchdog ends with its child; its work directory (the log) goes with it.
        for _ in 0..<100 where server.exitStatus() == nil {
            try await Task.sleep(for: .milliseconds(50))
        }
        try? FileManager.default.removeItem(atPath: server.workDirectory)
        lock.withLock { current = nil }
    }

    /// SIGSTOP to SecantusDB: its connections stay open and its port accepts new ones (the
    /// kernel's backlog), but nothing is answered until `thaw()`. Returns once it has stopped.
    func freeze() async throws {
        guard let server = lock.withLock({ current }) else { throw Failure(description: "not running") }
        let pid = try backendPid(of: server)
        Glibc.kill(pid, SIGSTOP)
        for _ in 0..<100 where !Self.isStopped(pid) {
            try await Task.sleep(for: .milliseconds(10))  // every thread of it has stopped
        }
    }

    /// SIGCONT after `freeze()`.
    func thaw() throws {
        guard let server = lock.withLock({ current }) else { throw Failure(description: "not running") }
        Glibc.kill(try backendPid(of: server), SIGCONT)
    }

    /// State `T` in `/proc/<pid>/stat` (after the command name, which may hold spaces).
    private static func isStopped(_ pid: pid_t) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }

    private func backendPid(of server: ServerProcess) throws -> pid_t {
        let children = (try? String(contentsOfFile: "/proc/\(server.pid)/task/\(server.pid)/children", encoding: .utf8)) ?? ""
        guard let backend = children.split(separator: " ").compactMap({ Int32($0) }).first else {
            throw Failure(description: "no SecantusDB process under watchdog \(server.pid)")
        }
        return backend
    }

    /// Stops it (thawed if frozen, then SIGTERM) if it runs, waiting on a thread of its own:
    /// SecantusDB takes up to a few seconds to stop, a cooperative thread of the test process
    /// held that long holds up every test meanwhile. The storage stays.
    func stopped() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                try? self.thaw()
                self.stop()
                done.resume()
            }
        }
    }

    /// Stops it (SIGTERM) if it runs; blocks until it has. The storage stays.
    func stop() {
        let server = lock.withLock { () -> ServerProcess? in
            defer { current = nil }
            return current
        }
        server?.stop()
    }
}
