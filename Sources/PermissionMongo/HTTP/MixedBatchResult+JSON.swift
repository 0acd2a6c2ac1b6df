import PMBSON

/// The body of a `POST /batch` answer: each operation's status and, for a failed one, its
/// error as the single-document route would answer it.
extension MixedBatchResult {
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

extension OperationResult {
    func json(index: Int) -> BSONDocument {
        var error: GatewayError?
        var body = BSONDocument()
        body.append("index", .int64(Int64(index)))
        switch outcome {
        case .succeeded(let status):
            body.append("status", .int64(Int64(status.code)))
        case .failed(let failure):
            let failed = GatewayError(failure)
            body.append("status", .int64(Int64(failed.status.code)))
            error = failed
        }
        if let id { body.append("id", id.hexIfObjectId) }
        if let data { body.append("data", data) }
        if let count { body.append("count", .int64(count)) }
        if let error { body.append("error", .document(error.errorBody)) }
        return body
    }
}
