import NIOConcurrencyHelpers
import PMBSON

/// Changes to the same documents within one gateway process take turns instead of
/// colliding in MongoDB, where concurrent transactions on one document end in write
/// conflicts, and the retries of the losers again conflict with one another: under
/// contention many requests wait a long time and some very long. Here a change waits until
/// no other change of this process holds any of its documents, then holds them all until
/// its transaction has ended (docs/API.md, "Concurrent changes of the same documents").
///
/// A change takes all its documents at once or waits for all, so two changes never hold
/// one each while waiting for the other's; waiting changes are served in arrival order
/// (one that overlaps an earlier waiting change waits behind it), so none is passed over
/// for ever. Only changes that run a transaction of their own take turns: one inside a
/// caller's transaction (a mixed batch, an `Idempotency-Key`) could otherwise wait for a
/// change that waits for that transaction. Other gateway processes keep their own turns;
/// MongoDB still decides between them.
final class DocumentTurns: Sendable {
    /// Documents of one collection.
    struct Keys: Sendable {
        let collection: String
        let ids: Set<DocumentKey>

        func overlaps(_ other: Keys) -> Bool {
            collection == other.collection && !ids.isDisjoint(with: other.ids)
        }
    }

    private struct Waiter {
        let keys: Keys
        let granted: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// Per collection, the documents held.
        var held: [String: Set<DocumentKey>] = [:]
        var waiting: [Waiter] = []

        func isHeld(_ keys: Keys) -> Bool {
            held[keys.collection].map { !$0.isDisjoint(with: keys.ids) } ?? false
        }

        /// Holds `keys` when neither a holder nor an earlier waiter has any of them.
        mutating func grant(_ keys: Keys) -> Bool {
            guard !waiting.contains(where: { $0.keys.overlaps(keys) }), !isHeld(keys) else { return false }
            hold(keys)
            return true
        }

        mutating func hold(_ keys: Keys) {
            if held[keys.collection] == nil {
                held[keys.collection] = keys.ids  // the common case: nothing else held there
            } else {
                held[keys.collection]!.formUnion(keys.ids)
            }
        }

        mutating func release(_ keys: Keys) {
            guard var ids = held.removeValue(forKey: keys.collection) else { return }
            // `keys` are held, so as many held are exactly them.
            guard ids.count != keys.ids.count else { return }
            ids.subtract(keys.ids)
            held[keys.collection] = ids
        }
    }

    private let state = NIOLockedValueBox(State())

    /// Waits for the turn of `ids` in `collection`; release the turn when the change has
    /// ended (whatever its outcome).
    func take(_ ids: [BSON], in collection: String) async -> Turn {
        let keys = Keys(collection: collection, ids: Set(ids.map(DocumentKey.init)))
        guard !keys.ids.isEmpty else { return Turn(turns: self, keys: nil) }
        // Uncontended, the common case: no suspension.
        if state.withLockedValue({ $0.grant(keys) }) { return Turn(turns: self, keys: keys) }
        await withCheckedContinuation { (granted: CheckedContinuation<Void, Never>) in
            let now = state.withLockedValue { state -> Bool in
                if state.grant(keys) { return true }
                state.waiting.append(Waiter(keys: keys, granted: granted))
                return false
            }
            if now { granted.resume() }
        }
        return Turn(turns: self, keys: keys)
    }

    fileprivate func release(_ keys: Keys) {
        let granted = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.release(keys)
            guard !state.waiting.isEmpty else { return [] }
            var granted: [CheckedContinuation<Void, Never>] = []
            var stillWaiting: [Waiter] = []
            var blocked: [Keys] = []
            for waiter in state.waiting {
                if !state.isHeld(waiter.keys) && !blocked.contains(where: { $0.overlaps(waiter.keys) }) {
                    state.hold(waiter.keys)
                    granted.append(waiter.granted)
                } else {
                    blocked.append(waiter.keys)
                    stillWaiting.append(waiter)
                }
            }
            state.waiting = stillWaiting
            return granted
        }
        for continuation in granted { continuation.resume() }
    }

    /// Documents held now and changes waiting (for tests).
    var counts: (held: Int, waiting: Int) {
        state.withLockedValue { ($0.held.values.reduce(0) { $0 + $1.count }, $0.waiting.count) }
    }

    /// One change's hold on its documents.
    struct Turn: Sendable {
        fileprivate let turns: DocumentTurns
        fileprivate let keys: Keys?

        func release() {
            if let keys { turns.release(keys) }
        }
    }
}
