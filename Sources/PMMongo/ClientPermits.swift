import NIOConcurrencyHelpers

/// One permit per client of the pool, taken (suspending, never blocking a thread) before
/// a job pops a client. A thread-pool thread therefore never waits inside
/// `mongoc_client_pool_pop` for a client held by an `OpenTransaction` whose next job needs
/// that very thread: the transaction owns its permit until it ends.
final class ClientPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: NIOLockedValueBox<State>

    init(count: Int) {
        state = NIOLockedValueBox(State(available: count))
    }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLockedValue { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Hands the permit to the longest waiter, or returns it.
    func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
