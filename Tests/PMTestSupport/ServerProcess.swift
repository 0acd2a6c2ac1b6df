import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server started under a `/bin/sh` watchdog that stops it (SIGTERM, then
/// SIGKILL after 5 s) and deletes its work directory as soon as the test
/// process is gone, however the test process ends (even SIGKILL).
///
/// Spawned by `PosixSpawn`.
public struct ServerProcess: Sendable {
    public let pid: pid_t
    public let workDirectory: String
    public let logPath: String

    private static let watchdog = """
        parent=$1; workdir=$2; shift 2
        cd "$workdir" || exit 1
        TMPDIR="$workdir"; export TMPDIR
        "$@" &
        child=$!
        stop() {
            kill -TERM "$child" 2>/dev/null
            n=0
            while kill -0 "$child" 2>/dev/null && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
            kill -KILL "$child" 2>/dev/null
            wait "$child" 2>/dev/null
            if ! kill -0 "$parent" 2>/dev/null; then cd / && rm -rf "$workdir"; fi
            exit 0
        }
        trap stop TERM INT HUP
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.3; done
        stop
        """

    /// Starts `executable arguments...` in `workDirectory` (also its TMPDIR),
    /// stdout and stderr to `workDirectory/server.log`.
    public static func spawn(executable: String, arguments: [String], workDirectory: String) throws -> ServerProcess {
        let logPath = workDirectory + "/server.log"
        // python3 first closes every inherited descriptor above stderr, so sockets the test
        // process has open (e.g. a hook receiver's listener) do not leak into the server
        // and keep their ports bound; then it becomes the watchdog shell.
        let closeInherited = "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])"
        let argv = ["/usr/bin/env", "python3", "-c", closeInherited,
                    "/bin/sh", "-c", watchdog, "pm-test-watchdog", String(getpid()), workDirectory, executable]
            + arguments
        var inherited = ProcessInfo.processInfo.environment
        // libmongoc's counters in memory: see scripts/test.
        inherited["MONGOC_DISABLE_SHM"] = "1"
        let environment = inherited.map { "\($0.key)=\($0.value)" }

        let pid: pid_t
        do {
            pid = try PosixSpawn.spawn(argv, environment: environment) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
        } catch let failure as PosixSpawn.Failure {
            throw TestBackend.StartError(description: failure.description)
        }
        return ServerProcess(pid: pid, workDirectory: workDirectory, logPath: logPath)
    }

    /// Nil while running, else how it ended (reaps the watchdog).
    public func exitStatus() -> String? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        if result == pid { return "exited (wait status \(status))" }
        return "is gone (waitpid errno \(errno))"
    }

    /// Stops the server (the watchdog forwards SIGTERM) and removes its files. Blocks until
    /// the server has exited, up to 5 s and more: from async code use `stopped()` or
    /// `stopWithoutWaiting()`, which leave the caller's cooperative thread free (the test
    /// process has as many as cores, and each one held up delays every test meanwhile).
    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    /// `stop()`, waited for on a thread of its own.
    public func stopped() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                stop()
                done.resume()
            }
        }
    }

    /// `stop()` on a thread of its own, not waited for: for `defer` blocks, which cannot wait,
    /// and whose test needs nothing more of the server.
    public func stopWithoutWaiting() {
        Thread.detachNewThread { stop() }
    }

    /// The end of the server log, for error messages.
    public func logTail(_ characters: Int = 2000) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return String(text.suffix(characters))
    }
}
