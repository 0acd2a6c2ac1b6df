import Foundation
import PMBSON
import PMTestSupport
import Testing

/// A change by filter written in chunks stops between chunks when its client goes away
/// (docs/API.md, "Update and delete by filter"): the chunks before are written, the
/// others are not.
@Suite("update by filter: a client that goes away stops it")
struct FilterChunkDepartureTests {
    @Test func theChunksAfterTheClientLeftAreNotWritten() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        // One batch-mode pre_update call per chunk of 5, each answered after 1 s: 10 chunks.
        receiver.sleep(.seconds(1), at: "/chunk")
        let yaml = """
            server:
              max_batch_size: 5
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              things:
                fields:
                  n:      { type: integer, required: true }
                  status: { type: string }
            policies:
              things:
                admin: { actions: [create, read, update] }
            hooks:
              things:
                pre_update:
                  - url: http://127.0.0.1:\(port)/chunk
                    mode: batch
                    timeout_ms: 30000
            """
        try await GatewayHarness.with(yaml: yaml) { api in
            let admin = try await api.token("a", roles: ["admin"])
            for start in stride(from: 0, to: 50, by: 5) {
                _ = try await api.create("things", token: admin, (start..<start + 5).map { #"{"n":\#($0)}"# })
            }
            let gatewayPort = try #require(api.client.port)
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = [
                "-s", "-o", "/dev/null", "-X", "PUT", "http://127.0.0.1:\(gatewayPort)/things/batch",
                "-H", "Authorization: Bearer \(admin)", "-H", "Content-Type: application/json",
                "-d", #"{"filter":{"n":{"$gte":0}},"update":{"status":"done"}}"#,
            ]
            try curl.run()
            _ = try await receiver.waitForCalls(to: "/chunk", count: 2)
            // SIGKILL: the test process's blocked signals (SIGTERM among them) are curl's too.
            kill(curl.processIdentifier, SIGKILL)  // the connection closes during the third chunk's hook call
            curl.waitUntilExit()

            // Had it gone on, the ten chunks would take ten seconds; wait twelve.
            try await Task.sleep(for: .seconds(12))
            let calls = receiver.calls(to: "/chunk").count
            #expect(calls >= 2 && calls < 10, "\(calls) chunks were checked")
            var done = 0
            for skip in stride(from: 0, to: 50, by: 5) {
                let page = try await api.get("/things?limit=5&skip=\(skip)&sort=n", token: admin)
                done += page.json.documents("data").filter { $0.string("status") == "done" }.count
            }
            #expect(done < 50 && done % 5 == 0 && done <= calls * 5, "\(done) documents changed, \(calls) chunks checked")

            // The gateway goes on serving, and a change by filter runs to its end.
            let rest = try await api.put("/things/batch", token: admin, #"{"filter":{"status":{"$exists":false}},"update":{"status":"late"}}"#)
            #expect(rest.json.int("modified") == 50 - done, "\(rest.text)")
        }
    }
}
