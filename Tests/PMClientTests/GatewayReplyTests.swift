import Testing
@testable import PMClient

@Suite("Gateway answers and client errors")
struct GatewayReplyTests {
    private func reply(_ status: Int, _ body: String) -> GatewayReply {
        GatewayReply(status: status, body: Array(body.utf8))
    }

    @Test func errorEnvelopesAreRefusals() {
        let refused = reply(403, #"{"error":{"code":"forbidden","message":"no role may create in products"},"meta":{"request_id":"r"}}"#)
        #expect(refused.refusal == .refused(status: 403, code: "forbidden", message: "no role may create in products"))
        #expect(refused.refusal.description == "the gateway refused the request: 403 forbidden: no role may create in products")
        #expect(refused.refusal.exitCode == 1)
    }

    @Test func otherBodiesSayWhatCameBack() {
        #expect(reply(200, #"{"hello":1}"#).refusal == .unexpected(status: 200, excerpt: #"{"hello":1}"#))
        #expect(reply(502, "<html>\nBad gateway</html>").refusal == .notJSON(status: 502, excerpt: "<html> Bad gateway</html>"))
        #expect(reply(502, "").refusal.description
            == "the gateway answered 502 with a body that is not JSON: an empty body (is --url a Permission Mongo gateway?)")
        let long = reply(500, String(repeating: "x", count: 500)).refusal
        #expect(long == .notJSON(status: 500, excerpt: String(repeating: "x", count: 200) + "…"))
        #expect(long.exitCode == 2)
    }

    @Test func urlsAndTokensAreChecked() {
        #expect(throws: ClientError.usage(#"--url must start with http:// or https:// (got "localhost:8080")"#)) {
            try GatewayHTTP(url: "localhost:8080", token: "t")
        }
        #expect(throws: ClientError.usage("a token is needed: pass --token or set PM_TOKEN")) {
            try GatewayHTTP(url: "http://localhost:8080", token: "")
        }
        #expect(GatewayHTTP.pathSegment("products") == "products")
        #expect(GatewayHTTP.pathSegment("a b/é") == "a%20b%2F%C3%A9")
    }
}
