import Hummingbird

/// Gives every request a `TenantShareTicket`, and gives its place back when the route has
/// answered or thrown. With `server.tenant_max_in_flight: 0` the ticket is never used.
struct TenantShareMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let ticket = TenantShareTicket()
        context.tenantShare = ticket
        defer { ticket.leave() }
        return try await next(request, context)
    }
}
