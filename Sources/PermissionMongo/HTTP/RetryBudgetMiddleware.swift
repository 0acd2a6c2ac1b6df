import Hummingbird
import PMMongo

/// Gives every request one retry budget (`database.retry_budget_ms`; docs/API.md,
/// "database"): the retry loops of all its operations (transactions run again, single
/// operations sent again) share it through `RetryBudget.current`, so a request spends at
/// most that long retrying transient errors, however many operations it has.
struct RetryBudgetMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let limit: Duration

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await RetryBudget.$current.withValue(RetryBudget(limit: limit)) {
            try await next(request, context)
        }
    }
}
