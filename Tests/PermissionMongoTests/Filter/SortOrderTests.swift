import PMBSON
import Testing
@testable import PermissionMongo

/// `?sort=` (docs/API.md, "GET /{collection}").
@Suite struct SortOrderTests {
    @Test func fieldsAndDirections() throws {
        #expect(try SortOrder.parse("name,-price,dims.w,tags.0") == ["name": .int32(1), "price": .int32(-1),
                                                                      "dims.w": .int32(1), "tags.0": .int32(1)])
    }

    @Test func badPathsAreRefused() {
        for (text, naming) in [
            ("tags.$", "tags.$"), ("$where", "$where"), ("-$natural", "$natural"), ("a.$[]", "$[]"),
            ("a..b", "empty path segment"), (".a", "empty path segment"), ("a.", "empty path segment"),
            ("a,,b", "empty field"), ("-", "empty field"), ("a,", "empty field"), ("a,-a", "named twice"),
            ("a\u{0}b", "NUL"),
        ] {
            do {
                let order = try SortOrder.parse(text)
                Issue.record("\(text) was accepted as \(order)")
            } catch let error as DomainError {
                let gatewayError = GatewayError(error)
                #expect(gatewayError.status.code == 400, "\(text)")
                #expect(gatewayError.message.hasPrefix(SortOrder.shape), "\(text): \(gatewayError.message)")
                #expect(gatewayError.message.contains(naming), "\(text): \(gatewayError.message)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }
}
