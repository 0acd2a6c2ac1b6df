import NIOConcurrencyHelpers

/// At most `limit` requests of one tenant run at once (docs/API.md, "Limits"); the next
/// ones wait, in arrival order and holding nothing, until one of their tenant's requests
/// ends. A request holds one MongoDB connection at a time, so with `limit` at most half of
/// `database.pool_size` (the default) one tenant's requests hold at most half of the
/// connections, however slow its queries: the other tenants always find connections free.
final class TenantShares: Sendable {
    let limit: Int

    private struct Share {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let shares = NIOLockedValueBox<[String: Share]>([:])

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Returns once a request of `tenant` may run; pair with `leave`.
    func enter(_ tenant: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = shares.withLockedValue { shares -> Bool in
                var share = shares[tenant, default: Share()]
                defer { shares[tenant] = share }
                guard share.running < limit else {
                    share.waiting.append(continuation)
                    return false
                }
                share.running += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    /// Ends a request of `tenant`: its place goes to the tenant's longest waiting request.
    func leave(_ tenant: String) {
        let next = shares.withLockedValue { shares -> CheckedContinuation<Void, Never>? in
            guard var share = shares[tenant] else { return nil }
            if share.waiting.isEmpty {
                share.running -= 1
                shares[tenant] = share.running > 0 ? share : nil
                return nil
            }
            let next = share.waiting.removeFirst()  // the place passes on: `running` stays
            shares[tenant] = share
            return next
        }
        next?.resume()
    }

    /// Requests of `tenant` running and waiting.
    func load(of tenant: String) -> (running: Int, waiting: Int) {
        shares.withLockedValue { shares in
            (shares[tenant]?.running ?? 0, shares[tenant]?.waiting.count ?? 0)
        }
    }
}
