import PMMongo

extension DomainError {
    static let unavailableMessage = "the database is unavailable, try again"

    /// What a client is told of a driver failure (docs/API.md, "Errors"): 503 `timeout` for
    /// an operation stopped at `max_time_ms`; 503 `unavailable` for a backend that cannot be
    /// reached, or a transient error that outlasted the retry budget (`retry_budget_ms`:
    /// every attempt was rolled back, so nothing was written). nil for any other failure,
    /// which is the gateway's own (500).
    init?(databaseFailure error: MongoError, settings: DatabaseSettings) {
        if error.isMaxTimeExpired {
            self = .timeout(maxTimeMS: settings.maxTimeMS)
        } else if error.kind == .connection {
            self = .unavailable(Self.unavailableMessage)
        } else if error.isTransientTransactionError {
            self = .unavailable(
                "the database kept failing with a transient error for database.retry_budget_ms "
                    + "(\(settings.retryBudgetMS) ms); nothing was written, try again")
        } else {
            return nil
        }
    }
}
