import Testing
@testable import PermissionMongo

@Suite struct MetricsTokenTests {
    let token = MetricsToken("scrape-0123456789abcdef")

    @Test func admitsTheBearerOfTheToken() {
        #expect(token.admits("Bearer scrape-0123456789abcdef"))
        #expect(token.admits("bearer scrape-0123456789abcdef"))
    }

    @Test func refusesAnyOtherAuthorization() {
        #expect(!token.admits(nil))
        #expect(!token.admits(""))
        #expect(!token.admits("Bearer"))
        #expect(!token.admits("Bearer "))
        #expect(!token.admits("scrape-0123456789abcdef"))
        #expect(!token.admits("Basic scrape-0123456789abcdef"))
        #expect(!token.admits("Bearer scrape-0123456789abcde"))
        #expect(!token.admits("Bearer scrape-0123456789abcdefg"))
        #expect(!token.admits("Bearer  scrape-0123456789abcdef"))
    }
}
