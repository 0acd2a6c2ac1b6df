import NIOCore
import NIOPosix

/// Where the server's Swift tasks run. Swift's default is a pool of its own (one thread per
/// core) beside NIO's event loops (also one per core), where every request would cross
/// threads several times: the event loop reads it and wakes a pool thread to handle it, the
/// handler's answer wakes the event loop again to be written, and so on for each part of the
/// body. With NIO's event loops as Swift's global executor a request is read, handled and
/// answered on one thread; only the driver calls leave it (PMMongo's thread pool), and
/// their results come back with one wake-up (BENCHMARKS.md, "Small requests").
///
/// Nothing in the server blocks a task's thread for long: database calls run on the thread
/// pool, hook calls on libcurl's threads.
enum EventLoopExecutor {
    /// Makes `MultiThreadedEventLoopGroup.singleton` (the group the HTTP server runs on) Swift's
    /// global executor. Call once, before the server starts; false when the runtime does not
    /// allow it (the default pool is kept).
    @discardableResult
    static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
