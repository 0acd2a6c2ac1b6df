#if canImport(CMalloc)
import CMalloc
#endif

/// How the server process gives memory back. glibc keeps freed heap memory: after 16
/// concurrent 1000-document batches the gateway stayed at ~200 MB resident (BENCHMARKS.md).
/// A periodic `malloc_trim` returns what a burst freed (back to ~58 MB 20 s later).
/// The peak itself is lower with fewer malloc arenas: `scripts/run` and `scripts/bench`
/// start the gateway with `MALLOC_ARENA_MAX=2` (~145 MB instead of ~200 MB, same throughput).
enum MemoryPolicy {
    static let trimInterval: Duration = .seconds(15)

    /// Returns freed heap memory to the system every `trimInterval` until cancelled.
    static func trimPeriodically() async {
        #if canImport(CMalloc)
        while !Task.isCancelled {
            try? await Task.sleep(for: trimInterval)
            _ = malloc_trim(0)
        }
        #endif
    }
}
