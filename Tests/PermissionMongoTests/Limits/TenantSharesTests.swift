import Foundation
import Testing
@testable import PermissionMongo

/// `TenantShares`: at most `limit` requests of a tenant at once, the others in arrival
/// order; other tenants are not affected.
@Suite struct TenantSharesTests {
    @Test func theNextRequestWaitsForAPlaceOfItsOwnTenant() async throws {
        let shares = TenantShares(limit: 2)
        await shares.enter("a")
        await shares.enter("a")
        await shares.enter("b")  // another tenant gets in at once
        #expect(shares.load(of: "a") == (running: 2, waiting: 0))

        let order = Order()
        let third = Task {
            await shares.enter("a")
            order.note("third")
        }
        while shares.load(of: "a").waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let fourth = Task {
            await shares.enter("a")
            order.note("fourth")
        }
        while shares.load(of: "a").waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(order.names.isEmpty)

        shares.leave("a")
        await third.value
        #expect(order.names == ["third"])
        #expect(shares.load(of: "a") == (running: 2, waiting: 1))
        shares.leave("a")
        await fourth.value
        #expect(order.names == ["third", "fourth"])

        shares.leave("a")
        shares.leave("a")
        shares.leave("b")
        #expect(shares.load(of: "a") == (running: 0, waiting: 0))
        #expect(shares.load(of: "b") == (running: 0, waiting: 0))
    }

    @Test func aTicketEntersOnceAndLeavesOnce() async {
        let shares = TenantShares(limit: 1)
        let ticket = TenantShareTicket()
        await ticket.enter(shares, tenant: "a")
        await ticket.enter(shares, tenant: "a")  // held already: no second place
        #expect(shares.load(of: "a") == (running: 1, waiting: 0))
        ticket.leave()
        ticket.leave()
        #expect(shares.load(of: "a") == (running: 0, waiting: 0))
    }

    final class Order: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        var names: [String] { lock.withLock { stored } }
        func note(_ name: String) { lock.withLock { stored.append(name) } }
    }
}
