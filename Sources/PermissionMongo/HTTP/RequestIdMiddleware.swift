import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id (the client's own `X-Request-Id` when it sent a sane one;
/// the one `ShutdownDeadlineResponder` gave it), puts it in the logger's metadata and on
/// every response, and logs one line per request.
struct RequestIdMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = context.requestId.isEmpty ? RequestId.of(request.headers) : context.requestId
        context.requestId = id
        context.logger[metadataKey: "request_id"] = .string(id)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestId] = id
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "ms": .stringConvertible(elapsed / .microseconds(1) / 1000),
            ])
        return response
    }
}
