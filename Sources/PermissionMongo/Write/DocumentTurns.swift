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
    struct Key: Hashable, Sendable {
        let collection: String
        let id: DocumentKey
    }

    private struct Waiter {
        let keys: Set<Key>
        let granted: CheckedContinuation<Void, Never>
    }

    private struct State {
        var held: Set<Key> = []
        var waiting: [Waiter] = []
    }

    private let state = NIOLockedValueBox(State())

    /// Waits for the turn of `ids` in `collection`; release the turn when the change has
    /// ended (whatever its outcome).
    func take(_ ids: [BSON], in collection: String) async -> Turn {
        let keys = Set(ids.map { Key(collection: collection, id: DocumentKey($0)) })
        guard !keys.isEmpty else { return Turn(turns: self, keys: []) }
        await withCheckedContinuation { (granted: CheckedContinuation<Void, Never>) in
            let now = state.withLockedValue { state -> Bool in
                let blocked = state.waiting.contains { !$0.keys.isDisjoint(with: keys) }
                guard blocked || !state.held.isDisjoint(with: keys) else {
                    state.held.formUnion(keys)
                    return true
                }
                state.waiting.append(Waiter(keys: keys, granted: granted))
                return false
            }
            if now { granted.resume() }
        }
        return Turn(turns: self, keys: keys)
    }

    fileprivate func release(_ keys: Set<Key>) {
        guard !keys.isEmpty else { return }
        let granted = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.held.subtract(keys)
            var granted: [CheckedContinuation<Void, Never>] = []
            var stillWaiting: [Waiter] = []
            var blocked: Set<Key> = []
            for waiter in state.waiting {
                if state.held.isDisjoint(with: waiter.keys) && blocked.isDisjoint(with: waiter.keys) {
                    state.held.formUnion(waiter.keys)
                    granted.append(waiter.granted)
                } else {
                    blocked.formUnion(waiter.keys)
                    stillWaiting.append(waiter)
                }
            }
            state.waiting = stillWaiting
            return granted
        }
        for continuation in granted { continuation.resume() }
    }

    /// Documents held now and changes waiting (for tests).
    var counts: (held: Int, waiting: Int) { state.withLockedValue { ($0.held.count, $0.waiting.count) } }

    /// One change's hold on its documents.
    struct Turn: Sendable {
        fileprivate let turns: DocumentTurns
        fileprivate let keys: Set<Key>

        func release() { turns.release(keys) }
    }
}
