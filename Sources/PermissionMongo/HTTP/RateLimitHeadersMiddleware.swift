import Hummingbird

/// Gives every request a `RequestRateLimits` for the limits to note their answers in, and
/// puts them on the response as `X-RateLimit-*` headers — on successes and on errors (a 429
/// included), since it sits outside `ErrorEnvelopeMiddleware`. Without `server.rate_limits`
/// nothing notes an answer and no header is written.
struct RateLimitHeadersMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let limits = RequestRateLimits()
        context.rateLimits = limits
        var response = try await next(request, context)
        limits.write(into: &response.headers)
        return response
    }
}
