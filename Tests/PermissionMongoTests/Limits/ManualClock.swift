import NIOConcurrencyHelpers
@testable import PermissionMongo

/// A clock the test moves by hand, in nanoseconds: no sleeping, no timing budgets.
final class ManualClock: Sendable {
    private let now = NIOLockedValueBox<UInt64>(1_000_000_000)

    var read: TokenBucketTable.Clock { { self.now.withLockedValue { $0 } } }

    func advance(seconds: Double) {
        now.withLockedValue { $0 += UInt64(seconds * 1e9) }
    }
}
