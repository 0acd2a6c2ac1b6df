/// How long a client connection may take over its parts of a request and how many may be
/// open (`server.header_timeout_ms`, `server.body_timeout_ms`, `server.idle_timeout_ms`,
/// `server.max_connections`; docs/API.md, "Connections").
public struct ConnectionSettings: Sendable, Equatable {
    /// From the first byte of a request until its request line and headers are read.
    public var headerTimeoutMs: Int
    /// From the headers until the body is read: a trickle of bytes does not extend it.
    public var bodyTimeoutMs: Int
    /// A connection with no request under way (new, or kept alive after an answer) is
    /// closed after this long.
    public var idleTimeoutMs: Int
    /// Connections open at once; further ones are closed as soon as they are accepted.
    public var maxConnections: Int

    public init(headerTimeoutMs: Int = 10_000, bodyTimeoutMs: Int = 60_000, idleTimeoutMs: Int = 60_000, maxConnections: Int = 4096) {
        self.headerTimeoutMs = headerTimeoutMs
        self.bodyTimeoutMs = bodyTimeoutMs
        self.idleTimeoutMs = idleTimeoutMs
        self.maxConnections = maxConnections
    }
}
