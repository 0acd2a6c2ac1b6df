import NIOConcurrencyHelpers

/// A mutual-exclusion gate entered from async code (suspending, never blocking a
/// thread). Used to run transactions one at a time when the backend cannot run them
/// concurrently.
final class TransactionGate: @unchecked Sendable {
    // Condition value 0 = free, 1 = held; `held` mirrors it (ConditionLock.value
    // cannot be read while locked). `held` and `asyncWaiters` are only touched
    // under `condition`.
    private let condition = ConditionLock<Int>(value: 0)
    private var held = false
    private var asyncWaiters: [CheckedContinuation<Void, Never>] = []

    init() {}

    /// Waits (suspending) until the gate is free and takes it.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if !held {
                held = true
                condition.unlock(withValue: 1)
                continuation.resume()
            } else {
                asyncWaiters.append(continuation)
                condition.unlock(withValue: 1)
            }
        }
    }

    /// Releases the gate, handing it to the longest waiter.
    func leave() {
        condition.lock()
        if asyncWaiters.isEmpty {
            held = false
            condition.unlock(withValue: 0)
        } else {
            let next = asyncWaiters.removeFirst()
            condition.unlock(withValue: 1)
            next.resume()
        }
    }
}
