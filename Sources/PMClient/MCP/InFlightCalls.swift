import Foundation

/// Counts tool calls being answered, so the server can let them finish when the client
/// closes standard input right after its last request (the SDK answers each request in a
/// task of its own, which stopping the server would cut short).
final class InFlightCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func track<T>(_ body: () async -> T) async -> T {
        change(+1)
        let result = await body()
        change(-1)
        return result
    }

    /// Returns once no call is running (checked every 20 ms), or after `limit`.
    func drain(limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    private func change(_ delta: Int) {
        lock.lock()
        count += delta
        lock.unlock()
    }
}
