#if canImport(CMalloc)
import CMalloc
#endif

/// How the server process gives memory back. glibc keeps freed heap memory: after 16
/// concurrent 1000-document batches the gateway stayed at ~200 MB resident (BENCHMARKS.md).
/// A periodic `malloc_trim` returns what a burst freed (back to ~58 MB 20 s later).
/// The peak itself is lower with fewer malloc arenas: `scripts/run` and `scripts/bench`
/// start the gateway with `MALLOC_ARENA_MAX=2` (~145 MB instead of ~200 MB, same throughput).
///
/// Between trims, freed memory is kept for the next requests: a 1000-document batch
/// allocates a few buffers of ~0.5 MB (body, its BSON, the insert's batch), and glibc by
/// default maps such blocks fresh and unmaps them on free, or trims the heap top, so every
/// request paid for zeroing new pages (16 % of the in-process time, BENCHMARKS.md).
enum MemoryPolicy {
    static let trimInterval: Duration = .seconds(15)

    /// Large blocks come from the heap and `free` does not trim it; `trimPeriodically` does.
    static func keepFreedMemoryBetweenTrims() {
        #if canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)  // glibc's largest allowed value on 64-bit
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }

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
