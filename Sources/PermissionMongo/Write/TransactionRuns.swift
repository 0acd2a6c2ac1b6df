import NIOConcurrencyHelpers
import PMBSON

/// What the runs of one `DocumentStore.transaction`'s body carry from one run to the next,
/// by place: the n-th write of a run is the n-th of the run before (the same request,
/// planned the same way), and so is its n-th new document.
/// - The documents each write met a unique clash with only at write time: left out when it
///   runs again (`StoreTransaction.RunAgain`).
/// - The ids of new documents: a run again creates the same documents, so a later change
///   of one of them in the same body (a mixed batch's `{"$ref": n}`) is the same change, and
///   its clash is left out by that id.
final class TransactionRuns: Sendable {
    /// By the write's place in a run: its `[Key: DocumentFailure]`.
    private let clashesByWrite = NIOLockedValueBox<[Int: any Sendable]>([:])
    private let newIds = NIOLockedValueBox<[ObjectId]>([])

    /// A new run of the body: its writes and new documents are counted from the first.
    func attempt() -> Attempt { Attempt(runs: self) }

    final class Attempt: Sendable {
        let runs: TransactionRuns
        private struct Counts {
            var writes = 0
            var newIds = 0
        }
        private let counts = NIOLockedValueBox(Counts())

        init(runs: TransactionRuns) { self.runs = runs }

        func nextWrite<Key: Hashable & Sendable>() -> Write<Key> {
            let ordinal = counts.withLockedValue { counts in
                defer { counts.writes += 1 }
                return counts.writes
            }
            let known = runs.clashesByWrite.withLockedValue { $0[ordinal] as? [Key: DocumentFailure] } ?? [:]
            return Write(ordinal: ordinal, known: known, runs: runs)
        }

        func nextNewId() -> ObjectId {
            let ordinal = counts.withLockedValue { counts in
                defer { counts.newIds += 1 }
                return counts.newIds
            }
            return runs.newIds.withLockedValue { ids in
                if ordinal < ids.count { return ids[ordinal] }
                let id = ObjectId.generate()
                ids.append(id)
                return id
            }
        }
    }

    struct Write<Key: Hashable & Sendable>: Sendable {
        let ordinal: Int
        /// Clashes of this write in earlier runs.
        let known: [Key: DocumentFailure]
        let runs: TransactionRuns

        func remember(_ new: [Key: DocumentFailure]) {
            runs.clashesByWrite.withLockedValue { byWrite in
                let earlier = byWrite[ordinal] as? [Key: DocumentFailure] ?? [:]
                byWrite[ordinal] = earlier.merging(new) { kept, _ in kept }
            }
        }
    }
}
