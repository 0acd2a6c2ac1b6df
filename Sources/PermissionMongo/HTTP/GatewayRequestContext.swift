import Hummingbird
import Logging

/// Per-request state carried through the router: the request id the response echoes, and
/// what the rate limits said of the request (when any are set).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestId: String
    var rateLimits: RequestRateLimits? = nil

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = ""
    }

    /// Bodies are collected by the routes themselves against `server.max_body_bytes`.
    public var maxUploadSize: Int { Int.max }
}
