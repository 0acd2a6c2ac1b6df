import Hummingbird
import Logging
import NIOCore

/// Per-request state carried through the router: the request id the response echoes, what
/// the rate limits said of the request (when any are set), and the documents it wrote or
/// refused, for metrics.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestId: String
    var rateLimits: RequestRateLimits? = nil
    /// The request's place in its tenant's share of the gateway (`server.tenant_max_in_flight`).
    var tenantShare: TenantShareTicket? = nil
    /// Where the route settles what it did to each document (`RequestMetricsMiddleware`).
    var documents: DocumentTally? = nil
    /// The client's connection, to see whether the client is still there (`ClientPresence`).
    let channel: any Channel
    /// Where the request's work runs: its connection's event loop (`ShutdownDeadlineResponder`).
    let executor: EventLoopTaskExecutor

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = ""
        channel = source.channel
        executor = EventLoopTaskExecutor(source.channel.eventLoop)
    }

    /// Bodies are collected by the routes themselves against `server.max_body_bytes`.
    public var maxUploadSize: Int { Int.max }
}
