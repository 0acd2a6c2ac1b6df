import HTTPTypes
import PMBSON

/// The answer to `POST /batch` (§7), results in request order.
struct MixedBatchResult: Sendable {
    var results: [OperationResult]
    /// An atomic batch in which an operation failed: nothing was written.
    var rolledBack: Bool

    /// 200, or 422 when an atomic batch rolled back.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .ok }

    var succeeded: Int { rolledBack ? 0 : results.filter { !$0.failed }.count }

    var json: BSONDocument {
        var body = BSONDocument()
        body.append("success", .bool(!results.contains { $0.failed }))
        body.append("total", .int64(Int64(results.count)))
        body.append("succeeded", .int64(Int64(succeeded)))
        body.append("failed", .int64(Int64(results.count - succeeded)))
        body.append("results", .array(results.enumerated().map { .document($0.element.json(index: $0.offset)) }))
        return body
    }
}
