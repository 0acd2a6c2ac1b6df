import NIOCore
import NIOPosix

/// Where the work on a large request body runs: threads of their own (as many as cores,
/// shared by the process), not the connection's event loop.
///
/// A request's work runs on its connection's event loop (`EventLoopTaskExecutor`). Parsing
/// and checking a body of megabytes there takes milliseconds of CPU (a 1000-document create
/// of 2.3 MB ~7 ms in a release build, a 16 MiB body several times that) during which
/// every other connection of that loop waits: one client's large batches would slow the
/// small requests beside them. Bodies are still read on the loop (no thread switch per
/// part); what follows moves here, for every route that reads one (`JSONBody.withBytes`;
/// docs/API.md, "One tenant cannot hold up the others").
final class LargeBodyExecutor: TaskExecutor {
    /// A body of at least this many bytes is large. Below it the loop is held ~3 ms at most;
    /// 1000-document creates of ~330 KB, which stay there, were not measurably faster or
    /// slower when handled here (BENCHMARKS.md, "Small reads beside large bodies").
    static let largeBodyBytes = 1024 * 1024

    static let shared = LargeBodyExecutor(threads: System.coreCount)

    private let threads: NIOThreadPool

    private init(threads count: Int) {
        threads = NIOThreadPool(numberOfThreads: max(1, count))
        threads.start()
    }

    /// `work` here when the body it handles is large, else where it is called.
    static func run<T>(onBodyOf bytes: Int, _ work: () async throws -> T) async throws -> T {
        guard bytes >= largeBodyBytes else { return try await work() }
        return try await withTaskExecutorPreference(shared, operation: work)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        threads.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
