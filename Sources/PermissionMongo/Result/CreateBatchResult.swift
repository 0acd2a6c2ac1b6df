import HTTPTypes
import PMBSON

/// The outcome of a batch create, in request order.
struct CreateBatchResult: Sendable {
    var created: [(index: Int, id: ObjectId)] = []
    var failed: [(index: Int, failure: DocumentFailure)] = []
    var atomic: Bool

    /// The outcome of writing `written` (request index, id): those in `failures` failed; the
    /// others were created, unless the batch is atomic and something failed (nothing was).
    mutating func record(written: [(index: Int, id: ObjectId)], failures: [Int: DocumentFailure]) {
        for document in written {
            if let failure = failures[document.index] {
                failed.append((document.index, failure))
            } else if !atomic || failures.isEmpty {
                created.append(document)
            }
        }
    }

    /// An atomic batch in which something failed: nothing was written.
    var rolledBack: Bool { atomic && !failed.isEmpty }

    /// 201, or 422 when an atomic batch wrote nothing because something failed.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .created }

    var json: BSONDocument {
        let ids: [BSON] = rolledBack ? [] : created.sorted { $0.index < $1.index }.map { .string($0.id.hex) }
        let failures: [BSON] = failed.sorted { $0.index < $1.index }.map {
            .document(BSONDocument(["index": .int64(Int64($0.index)), "error": .document($0.failure.json)]))
        }
        return BSONDocument(["created": .array(ids), "failed": .array(failures)])
    }
}
