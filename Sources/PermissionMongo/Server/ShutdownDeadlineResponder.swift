import Hummingbird
import Logging
import PMMongo

/// Answers each request as the router does, unless the shutdown deadline passes while it
/// still runs (docs/API.md, "server": `shutdown_grace_ms`): it is then answered 503 at once,
/// whatever the backend does. The request's `WriteFence` is sealed first, so no write of it
/// can start after that answer: `unavailable` when it had sent none (nothing was written),
/// `outcome_unknown` when one was sent and may have been applied. The request's work runs
/// in a task of its own, on its connection's event loop, which is cancelled then and ends
/// when it can (or with the process); a write that still commits keeps its post-hook
/// deliveries in the outbox.
public struct ShutdownDeadlineResponder<Router: HTTPResponder>: HTTPResponder where Router.Context == GatewayRequestContext {
    public typealias Context = GatewayRequestContext

    let router: Router
    let deadline: ShutdownDeadline
    let logger: Logger

    static var shuttingDown: DomainError {
        .unavailable("the gateway is shutting down; nothing was written, try again")
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        context.requestId = RequestId.of(request.headers)
        let fence = WriteFence()
        let slot = ResponseSlot()
        let routed = context
        let work = Task(executorPreference: context.executor) {
            do {
                slot.fill(.success(try await WriteFence.$current.withValue(fence) {
                    try await router.respond(to: request, context: routed)
                }))
            } catch {
                slot.fill(.failure(error))
            }
        }
        let requestId = context.requestId
        let token = deadline.onPass { [logger] in
            let error = fence.seal() ? DomainError.outcomeUnknown(DomainError.outcomeUnknownMessage) : Self.shuttingDown
            var response = JSONResponse.error(GatewayError(error), requestId: requestId)
            response.headers[.requestId] = requestId
            logger.warning("request answered at the shutdown deadline", metadata: [
                "request_id": .string(requestId), "method": .string(request.method.rawValue),
                "path": .string(request.uri.path), "status": .stringConvertible(response.status.code),
            ])
            slot.fill(.success(response))
            work.cancel()
        }
        defer { deadline.forget(token) }
        return try await withTaskCancellationHandler {
            try await slot.answer()
        } onCancel: {
            work.cancel()
        }
    }
}
