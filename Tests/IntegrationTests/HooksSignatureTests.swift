import Foundation
import PMBSON
import PMTestSupport
import Testing
@testable import PermissionMongo

@Suite("hook signatures")
struct HooksSignatureTests {
    static let secret = "hook-secret-for-tests"

    @Test func preAndPostHookRequestsAreSigned() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/validate", secret: Self.secret),
            .init(event: "post_create", path: "/index", secret: Self.secret),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Signed one"]))
            #expect(reply.json.strings("created").count == 1)
            _ = try await receiver.waitForCalls(to: "/index", count: 1)
        }
        let calls = receiver.calls
        #expect(calls.count == 2)
        for call in calls {
            let timestamp = try #require(call.header("X-PM-Timestamp").flatMap(Int.init))
            let signature = try #require(call.header("X-PM-Signature"))
            #expect(signature.hasPrefix("sha256="))
            #expect(abs(timestamp - Int(Date().timeIntervalSince1970)) < 60)
            #expect(HookSignature.verify(signature: signature, body: call.body, timestamp: timestamp, secret: Self.secret))
            #expect(!HookSignature.verify(signature: signature, body: call.body, timestamp: timestamp, secret: "wrong-secret"))
            #expect(!HookSignature.verify(
                signature: signature, body: call.body + [0x20], timestamp: timestamp, secret: Self.secret))
            #expect(!HookSignature.verify(signature: signature, body: call.body, timestamp: timestamp + 1, secret: Self.secret))
        }
        await receiver.stop()
    }

    /// The documented recipe, written out without the gateway's code: HMAC-SHA256 over
    /// `<timestamp>.<body>`, lower-case hex.
    @Test func signatureMatchesTheDocumentedRecipe() {
        let body = Array(#"{"event":"pre_create"}"#.utf8)
        let signature = HookSignature.sign(body: body, timestamp: 1_700_000_000, secret: "s3cret")
        // printf '1700000000.{"event":"pre_create"}' | openssl dgst -sha256 -hmac s3cret
        #expect(signature == "sha256=" + Self.referenceHMAC)
    }

    static let referenceHMAC = "12928c0bc518997b9ba38bca3912c8add2f8b143183725f3d0d770de6ed28820"
}
