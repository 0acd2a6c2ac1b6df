import HTTPTypes
import PMBSON

/// The outcome of one operation of a mixed batch: its status as the single-document route
/// would answer, the id it created or matched, data; or why it failed.
struct OperationResult: Sendable {
    var outcome: Outcome
    var id: BSON? = nil
    var data: BSON? = nil
    /// `list`: every visible match, beyond `limit`.
    var count: Int64? = nil

    enum Outcome: Sendable {
        case succeeded(HTTPResponse.Status)
        /// The HTTP layer gives the failure its status and error.
        case failed(Failure)
    }

    /// Why an operation has no result of its own.
    enum Failure: Sendable {
        case refused(DomainError)
        /// The operation's one document failed.
        case documentFailed(DocumentFailure)
        /// Undone: a later operation of the atomic batch failed.
        case rolledBack(by: Int)
        /// Not run: an earlier operation failed.
        case notAttempted(after: Int)
    }

    init(status: HTTPResponse.Status, id: BSON? = nil, data: BSON? = nil, count: Int64? = nil) {
        outcome = .succeeded(status)
        self.id = id
        self.data = data
        self.count = count
    }

    init(failure: Failure) {
        outcome = .failed(failure)
    }

    var failed: Bool {
        if case .failed = outcome { true } else { false }
    }
}

extension BSON {
    /// ObjectIds as their hex string, the way ids appear in responses.
    var hexIfObjectId: BSON {
        if case .objectId(let id) = self { .string(id.hex) } else { self }
    }
}

/// The answer to `POST /batch`, results in request order.
struct MixedBatchResult: Sendable {
    var results: [OperationResult]
    /// An atomic batch in which an operation failed: nothing was written.
    var rolledBack: Bool

    /// 200, or 422 when an atomic batch rolled back.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .ok }

    var succeeded: Int { rolledBack ? 0 : results.filter { !$0.failed }.count }
}
