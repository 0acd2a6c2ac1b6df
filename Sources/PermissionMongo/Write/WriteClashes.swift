import NIOConcurrencyHelpers

/// The documents that clashed at write time in the writes of one `DocumentStore.transaction`,
/// kept across the runs of its body: the n-th write of a run is the n-th of the one before
/// (the same request, planned the same way), so its clashes are found by their place.
final class WriteClashes: Sendable {
    /// By the write's place in a run: its `[Key: DocumentFailure]`.
    private let byWrite = NIOLockedValueBox<[Int: any Sendable]>([:])

    /// A new run of the body: its writes are counted from the first.
    func attempt() -> Attempt { Attempt(clashes: self) }

    final class Attempt: Sendable {
        let clashes: WriteClashes
        private let writes = NIOLockedValueBox(0)

        init(clashes: WriteClashes) { self.clashes = clashes }

        func nextWrite<Key: Hashable & Sendable>() -> Write<Key> {
            let ordinal = writes.withLockedValue { count in
                defer { count += 1 }
                return count
            }
            let known = clashes.byWrite.withLockedValue { $0[ordinal] as? [Key: DocumentFailure] } ?? [:]
            return Write(ordinal: ordinal, known: known, clashes: clashes)
        }
    }

    struct Write<Key: Hashable & Sendable>: Sendable {
        let ordinal: Int
        /// Clashes of this write in earlier runs.
        let known: [Key: DocumentFailure]
        let clashes: WriteClashes

        func remember(_ new: [Key: DocumentFailure]) {
            clashes.byWrite.withLockedValue { byWrite in
                let earlier = byWrite[ordinal] as? [Key: DocumentFailure] ?? [:]
                byWrite[ordinal] = earlier.merging(new) { kept, _ in kept }
            }
        }
    }
}
