import PMPolicy
import Testing
@testable import PermissionMongo

@Suite("Verified tokens (remembered signatures)")
struct VerifiedTokensTests {
    let alice = Caller(id: "alice", tenantId: "acme", roles: ["editor"])

    @Test func aTokenIsRememberedUntilItsExpiryOrTheMaximumAge() {
        let tokens = VerifiedTokens()
        tokens.remember("a.b.c", as: alice, acceptedUntil: 1_030, now: 1_000, generation: 0)
        #expect(tokens.caller(for: "a.b.c", now: 1_029, generation: 0)?.id == "alice")
        #expect(tokens.caller(for: "a.b.c", now: 1_030, generation: 0) == nil)
        #expect(tokens.count == 0, "an expired entry is dropped when found")

        tokens.remember("d.e.f", as: alice, acceptedUntil: nil, now: 1_000, generation: 0)
        #expect(tokens.caller(for: "d.e.f", now: 1_000 + VerifiedTokens.maxAge - 1, generation: 0) != nil)
        #expect(tokens.caller(for: "d.e.f", now: 1_000 + VerifiedTokens.maxAge, generation: 0) == nil)
    }

    @Test func anotherTokenOrAnotherKeyGenerationIsNotKnown() {
        let tokens = VerifiedTokens()
        tokens.remember("a.b.c", as: alice, acceptedUntil: nil, now: 0, generation: 3)
        #expect(tokens.caller(for: "a.b.d", now: 1, generation: 3) == nil)
        #expect(tokens.caller(for: "a.b.c", now: 1, generation: 4) == nil)
        #expect(tokens.caller(for: "a.b.c", now: 1, generation: 3) == nil, "dropped once seen with a newer set")
    }

    @Test func anAlreadyExpiredTokenIsNotRemembered() {
        let tokens = VerifiedTokens()
        tokens.remember("a.b.c", as: alice, acceptedUntil: 999, now: 1_000, generation: 0)
        #expect(tokens.count == 0)
    }

    @Test func theTableNeverGrowsPastItsCapacity() {
        let tokens = VerifiedTokens()
        for index in 0..<(VerifiedTokens.capacity + 10) {
            tokens.remember("token-\(index)", as: alice, acceptedUntil: nil, now: 0, generation: 0)
        }
        #expect(tokens.count <= VerifiedTokens.capacity)
        #expect(tokens.caller(for: "token-\(VerifiedTokens.capacity + 9)", now: 1, generation: 0) != nil)
    }
}
