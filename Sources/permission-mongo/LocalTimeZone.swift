#if canImport(Glibc)
import Glibc
#endif

/// Reads the local time zone once per process. With `TZ` unset, glibc's `strftime` — every
/// log line's timestamp — checks `/etc/localtime` for changes with a `stat` each time
/// (BENCHMARKS.md, "Small requests"); with `TZ` set it does not. `:/etc/localtime` names
/// the same zone, so timestamps are unchanged; a change of the host's zone is seen at the
/// next start.
enum LocalTimeZone {
    /// Call first, before the process starts threads of its own (`setenv` is not thread-safe).
    static func readOnce() {
        #if canImport(Glibc)
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
        #endif
    }
}
