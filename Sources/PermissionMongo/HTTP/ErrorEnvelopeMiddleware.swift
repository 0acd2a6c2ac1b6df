import Hummingbird
import Logging
import NIOHTTP1
import PMMongo

/// Turns every error thrown below it into the error envelope (docs/API.md, "Errors"): the
/// operations' errors and per-document failures by their mapping to statuses
/// (`GatewayError(_:)`), driver failures by `DomainError(databaseFailure:settings:)`. Unknown
/// errors become a 500 whose body says nothing about their cause; the cause is logged.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// `database.max_time_ms` and `retry_budget_ms`, named by the answers they cause.
    let database: DatabaseSettings

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as GatewayError {
            return JSONResponse.error(error, requestId: context.requestId)
        } catch let error as DomainError {
            return JSONResponse.error(GatewayError(error), requestId: context.requestId)
        } catch let failure as DocumentFailure {
            return JSONResponse.error(GatewayError(failure), requestId: context.requestId)
        } catch let error as HTTPError {
            return JSONResponse.error(Self.translate(error), requestId: context.requestId)
        } catch let error as HTTPParserError {
            // The body turned out malformed (a bad chunk size, say) while the route read it.
            return JSONResponse.error(GatewayError(refused: error), requestId: context.requestId)
        } catch let error as RequestBodyTimeout {
            return JSONResponse.error(
                .requestTimeout("request body", limitMs: error.limitMs, key: "body_timeout_ms"), requestId: context.requestId)
        } catch let error as MongoError {
            guard let answer = DomainError(databaseFailure: error, settings: database) else {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
                return JSONResponse.error(GatewayError(.internal, "internal error"), requestId: context.requestId)
            }
            let reply = GatewayError(answer)
            context.logger.log(
                level: error.isMaxTimeExpired ? .warning : .error, "MongoDB failure answered \(reply.code)",
                metadata: ["error": "\(error)"])
            return JSONResponse.error(reply, requestId: context.requestId)
        } catch is CancellationError {
            // A change by filter whose client went away stopped between chunks (`ClientPresence`);
            // the answer goes nowhere.
            context.logger.info("request stopped: its client went away")
            return JSONResponse.error(
                GatewayError(.unavailable, "the request was stopped: its client went away"), requestId: context.requestId)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return JSONResponse.error(
                GatewayError(.internal, "internal error"), requestId: context.requestId)
        }
    }

    /// Hummingbird's own errors (unknown route, wrong method, body too large).
    private static func translate(_ error: HTTPError) -> GatewayError {
        switch error.status {
        case .notFound: GatewayError(.notFound, "no such route")
        case .methodNotAllowed: GatewayError(.notFound, "no such route")
        case .contentTooLarge: GatewayError(.payloadTooLarge, "request body is too large")
        case .unauthorized: GatewayError(.unauthorized, error.body ?? "unauthorized")
        case .badRequest: GatewayError(.badRequest, error.body ?? "bad request")
        default: GatewayError(.internal, "internal error")
        }
    }
}
