import HTTPTypes
import PMBSON

/// The outcome of one operation of a mixed batch (§7): its status as the single-document
/// route would answer (§6), the id it created or matched, data, or its error.
struct OperationResult: Sendable {
    var status: HTTPResponse.Status
    var id: BSON? = nil
    var data: BSON? = nil
    /// `list`: every visible match, beyond `limit`.
    var count: Int64? = nil
    var error: GatewayError? = nil

    init(status: HTTPResponse.Status, id: BSON? = nil, data: BSON? = nil, count: Int64? = nil) {
        self.status = status
        self.id = id
        self.data = data
        self.count = count
    }

    init(_ error: GatewayError) {
        status = error.status
        self.error = error
    }

    var failed: Bool { status.code >= 400 }

    static func rolledBack(by failing: Int) -> OperationResult {
        OperationResult(GatewayError(
            status: .failedDependency, code: "rolled_back",
            message: "undone: operation \(failing) failed and the batch is atomic"))
    }

    static func notAttempted(after failing: Int) -> OperationResult {
        OperationResult(GatewayError(
            status: .failedDependency, code: "not_attempted", message: "operation \(failing) failed first"))
    }

    func json(index: Int) -> BSONDocument {
        var body = BSONDocument()
        body.append("index", .int64(Int64(index)))
        body.append("status", .int64(Int64(status.code)))
        if let id { body.append("id", id.hexIfObjectId) }
        if let data { body.append("data", data) }
        if let count { body.append("count", .int64(count)) }
        if let error { body.append("error", .document(error.errorBody)) }
        return body
    }
}

extension BSON {
    /// ObjectIds as their hex string, the way ids appear in responses.
    var hexIfObjectId: BSON {
        if case .objectId(let id) = self { .string(id.hex) } else { self }
    }
}

extension HTTPResponse.Status {
    /// 424: an operation of a mixed batch that depended on one that failed (§7).
    static let failedDependency = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
}
