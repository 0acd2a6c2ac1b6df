import HTTPTypes
import PMBSON

/// The answer to `POST /batch`, results in request order.
struct MixedBatchResult: Sendable {
    var results: [OperationResult]
    /// An atomic batch in which an operation failed: nothing was written.
    var rolledBack: Bool

    /// 200, or 422 when an atomic batch rolled back.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .ok }

    var succeeded: Int { rolledBack ? 0 : results.filter { !$0.failed }.count }
}
