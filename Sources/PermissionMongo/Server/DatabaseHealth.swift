import NIOConcurrencyHelpers

/// Whether the backend answered the last ping of `DatabaseHealthProbe`: what `/readyz`
/// reports, read without waiting on the driver.
final class DatabaseHealth: Sendable {
    private let state: NIOLockedValueBox<Bool>

    /// - Parameter ready: the state until the probe's first ping (a ping made at start-up).
    init(ready: Bool) {
        state = NIOLockedValueBox(ready)
    }

    var isReady: Bool { state.withLockedValue { $0 } }

    func record(ready: Bool) {
        state.withLockedValue { $0 = ready }
    }
}
