import NIOConcurrencyHelpers

/// The place a request holds in its tenant's `TenantShares`, taken once the caller is known
/// and given back by `TenantShareMiddleware` when the request ends, however it ends.
final class TenantShareTicket: Sendable {
    private let held = NIOLockedValueBox<(shares: TenantShares, tenant: String)?>(nil)

    /// Waits for a place of `tenant`; a request that holds one already keeps it.
    func enter(_ shares: TenantShares, tenant: String) async {
        guard held.withLockedValue({ $0 == nil }) else { return }
        await shares.enter(tenant)
        held.withLockedValue { $0 = (shares, tenant) }
    }

    func leave() {
        let place = held.withLockedValue { held in
            defer { held = nil }
            return held
        }
        if let place { place.shares.leave(place.tenant) }
    }
}
