import PMBSON

/// Why a request, or one operation of a mixed batch, cannot be done: what the operations,
/// plans, filters and updates throw. The HTTP layer gives each case its status and envelope
/// (`GatewayError(_:)`); a failure of one document of a batch is a `DocumentFailure`.
enum DomainError: Error, Sendable {
    /// The request is malformed or breaks a rule of the API; `details` says more.
    case invalidRequest(String, details: BSONDocument? = nil)
    case notFound(String)
    case forbidden(String)
    case conflict(String)
    /// A mixed-batch operation refers to one that produced no id.
    case dependencyFailed(String)
    case unavailable(String)
    /// MongoDB stopped an operation at `database.max_time_ms` (the limit, in ms).
    case timeout(maxTimeMS: Int)
    /// A write whose reply was lost: it may or may not have been applied.
    case outcomeUnknown(String)
    /// The `Idempotency-Key` was used before with another request.
    case idempotencyKeyReused(String)
    /// The request with this `Idempotency-Key` is still running.
    case idempotencyInProgress(String)
    /// Over a rate limit: try again after `retryAfter` seconds, or never (nil) for a request
    /// larger than the limit allows at once.
    case rateLimited(String, retryAfter: Int?, details: BSONDocument)
    case `internal`(String)

    static func batchTooLarge(limit: Int, requested: Int) -> DomainError {
        .invalidRequest(
            "Batch size exceeds maximum limit of \(limit)",
            details: BSONDocument(["max_batch_size": .int64(Int64(limit)), "requested": .int64(Int64(requested))]))
    }

    static func unknownCollection(_ name: String) -> DomainError {
        .notFound("collection \"\(name)\" does not exist")
    }

    static let documentNotFound = DomainError.notFound("document not found")

    static let outcomeUnknownMessage =
        "the database did not confirm the write: it may have been applied; retry with the same Idempotency-Key"

    var message: String {
        switch self {
        case .invalidRequest(let message, _), .notFound(let message), .forbidden(let message),
             .conflict(let message), .dependencyFailed(let message), .unavailable(let message),
             .outcomeUnknown(let message), .idempotencyKeyReused(let message), .idempotencyInProgress(let message),
             .internal(let message), .rateLimited(let message, _, _):
            message
        case .timeout(let maxTimeMS):
            "the database operation exceeded database.max_time_ms (\(maxTimeMS) ms)"
        }
    }
}
