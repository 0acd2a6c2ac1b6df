import NIOConcurrencyHelpers
import PMBSON

/// The ids of the documents created in the runs of one `DocumentStore.transaction`'s body:
/// the n-th new document of a run gets the n-th id of the run before. A run again after a
/// write-time clash (`StoreTransaction.RunAgain`) then creates the same documents, so a
/// later change of one of them in the same body (a mixed batch's `{"$ref": n}`) is the same
/// change, and the clash it met is left out by its document's id (`WriteClashes`).
final class NewDocumentIds: Sendable {
    private let ids = NIOLockedValueBox<[ObjectId]>([])

    /// A new run of the body: its documents are counted from the first.
    func attempt() -> Attempt { Attempt(ids: self) }

    final class Attempt: Sendable {
        let ids: NewDocumentIds
        private let used = NIOLockedValueBox(0)

        init(ids: NewDocumentIds) { self.ids = ids }

        func next() -> ObjectId {
            let ordinal = used.withLockedValue { count in
                defer { count += 1 }
                return count
            }
            return ids.ids.withLockedValue { ids in
                if ordinal < ids.count { return ids[ordinal] }
                let id = ObjectId.generate()
                ids.append(id)
                return id
            }
        }
    }
}
