import Testing
@testable import PermissionMongo

/// Which Content-Type headers a JSON body may come with (docs/API.md: 415 otherwise).
@Suite struct JSONContentTypeTests {
    @Test(arguments: [
        "application/json", "application/json; charset=utf-8", "Application/JSON", " application/json\t; q=1",
        "APPLICATION/JSON;", "application/json ",
    ])
    func jsonIsAccepted(_ value: String) {
        #expect(JSONBody.isJSON(contentType: value))
    }

    @Test(arguments: [
        "", ";", "text/plain", "application/jsonx", "application/json-patch+json", "application/ json",
        "application/x-www-form-urlencoded", "json", "application/json\u{0}", "application/jsoN\u{301}",
        "charset=utf-8; application/json",
    ])
    func anythingElseIsRefused(_ value: String) {
        #expect(!JSONBody.isJSON(contentType: value))
    }
}
