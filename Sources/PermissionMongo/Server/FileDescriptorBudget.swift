#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Client connections get what the open-file limit leaves after a headroom for everything
/// else (docs/API.md, "Connections"): standard streams and files, the listening socket, the
/// event loops, up to 4 sockets per pooled MongoDB client (`database.pool_size`: its
/// connection and server monitoring) and up to 4 per hook call slot
/// (`server.hook_concurrency`, pre-hooks and deliveries, with libcurl's kept connections).
/// At start-up the soft limit is raised toward the hard one as far as
/// `server.max_connections` needs; when even that is too small, fewer connections are
/// allowed, so the process never runs out of descriptors.
struct FileDescriptorBudget: Equatable {
    static let baseHeadroom = 256

    /// Descriptors kept for everything but client connections.
    let headroom: Int
    /// The soft open-file limit the process runs with: raised toward what is needed, never
    /// past the hard limit.
    let openFileLimit: Int
    /// Client connections allowed: `server.max_connections`, or what fits.
    let maxConnections: Int

    static func headroom(poolSize: Int, hookConcurrency: Int) -> Int {
        baseHeadroom + 4 * poolSize + 4 * hookConcurrency
    }

    init(maxConnections wanted: Int, headroom: Int, softLimit: Int, hardLimit: Int) {
        self.headroom = headroom
        openFileLimit = max(softLimit, min(wanted + headroom, hardLimit))
        maxConnections = max(1, min(wanted, openFileLimit - headroom))
    }

    /// The budget for `settings` under this process's limits, with the soft limit raised.
    static func apply(_ settings: ServerSettings, poolSize: Int) -> FileDescriptorBudget {
        let wanted = settings.connections.maxConnections
        let headroom = headroom(poolSize: poolSize, hookConcurrency: settings.hookConcurrency)
        var limits = rlimit()
        guard getrlimit(noFileResource, &limits) == 0 else {
            return FileDescriptorBudget(maxConnections: wanted, headroom: headroom, softLimit: .max, hardLimit: .max)
        }
        let soft = clamp(limits.rlim_cur)
        let budget = FileDescriptorBudget(maxConnections: wanted, headroom: headroom, softLimit: soft, hardLimit: clamp(limits.rlim_max))
        guard budget.openFileLimit > soft else { return budget }
        limits.rlim_cur = rlim_t(budget.openFileLimit)
        guard setrlimit(noFileResource, &limits) == 0 else {
            return FileDescriptorBudget(maxConnections: wanted, headroom: headroom, softLimit: soft, hardLimit: soft)
        }
        return budget
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value > rlim_t(Int32.max) ? Int(Int32.max) : Int(value)  // RLIM_INFINITY included
    }

    #if os(Linux)
    private static let noFileResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let noFileResource = RLIMIT_NOFILE
    #endif
}
