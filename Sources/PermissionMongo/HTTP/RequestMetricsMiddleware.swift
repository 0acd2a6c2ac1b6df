import Hummingbird

/// Counts every routed request (`RequestMetrics`) and the documents its route settled
/// (`DocumentTally`, `DocumentMetrics`) when it ends. The first middleware, so it sees the
/// answer the client gets. The router runs it once a request's route is known: its
/// template is then `context.endpointPath`, nil for a request that matched no route (read
/// on the way in: Hummingbird's not-found responder names it later).
///
/// A request refused before routing (docs/API.md, "Refused before routing") is not
/// counted; one answered at the shutdown deadline while its route still runs is counted
/// when the route ends, with the route's own answer.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let metrics: GatewayMetrics

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let documents = DocumentTally()
        context.documents = documents
        let route = context.endpointPath
        let start = ContinuousClock.now
        metrics.requests.started()
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            finish(request, route: route, status: .internalServerError, since: start)
            throw error
        }
        finish(request, route: route, status: response.status, since: start)
        if let outcomes = documents.settled {
            // A write that did not happen (its transaction could not commit) counts only its refusals.
            metrics.documents.record((200..<300).contains(response.status.code) ? outcomes : outcomes.refusalsOnly)
        }
        return response
    }

    private func finish(
        _ request: Request, route: String?, status: HTTPResponse.Status, since start: ContinuousClock.Instant
    ) {
        let duration = ContinuousClock.now - start
        metrics.requests.finished(route: route, method: request.method, status: status, duration: duration)
    }
}
