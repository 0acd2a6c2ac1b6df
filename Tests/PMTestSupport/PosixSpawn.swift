import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `posix_spawn` for the tests' child processes, with an empty signal mask and default
/// signal dispositions: threads of the test process block signals such as SIGTERM, and a
/// child inheriting that mask could never be stopped. (Foundation's `Process.run()` is not
/// used: on Linux it reads past a directory buffer, now and then into an unmapped page.)
public enum PosixSpawn {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    #if canImport(Glibc)
    public typealias FileActions = posix_spawn_file_actions_t
    #else
    public typealias FileActions = posix_spawn_file_actions_t?
    #endif

    /// Starts `arguments[0]` (a path) with `arguments` and `environment` (`NAME=value`);
    /// `prepare` adds the file actions (descriptors to open, duplicate or close).
    public static func spawn(
        _ arguments: [String], environment: [String], prepare: (inout FileActions) throws -> Void
    ) throws -> pid_t {
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #else
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        try prepare(&actions)

        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw Failure(description: "posix_spawn \(arguments[0]) failed: \(String(cString: strerror(result)))")
        }
        return pid
    }
}
