import Foundation
import HTTPTypes
import PMBSON
import PMClient
import PMMongo
import PMTestKit
import PMTestSupport
import Testing

/// The client's idempotency keys through the real stack. These need the gateway's side
/// (docs/API.md, "Client commands"): each test first checks that a repeated keyed write
/// is replayed, and fails right there when it is not.
@Suite("permission-mongo import and batch with idempotency keys (the real binary against a live gateway)")
struct ImportIdempotencyTests {
    /// The products configuration with room to list a whole import at once.
    static let yaml = GatewayHarness.productsYAML.replacingOccurrences(of: "max_batch_size: 10", with: "max_batch_size: 1000")

    /// `name|price|qty` of every product the token's tenant sees, sorted: equal for equal contents.
    static func contents(_ api: GatewayClient, token: String) async throws -> [String] {
        let list = try await api.list("products", token: token, limit: 1000)
        #expect(list.count == list.data.count)
        return list.data.map { document in
            ["name", "price", "qty"].map { document[$0].map { "\($0)" } ?? "-" }.joined(separator: "|")
        }.sorted()
    }

    @Test func anImportKilledMidwayAndResumedEqualsACleanOne() async throws {
        let file = ImportRetryFakeTests.rows(300, negative: [7, 150], unreadable: [42])
        let scratch = try TemporaryDirectory(["rows.ndjson": file])
        defer { scratch.remove() }
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let arguments = ["import", "--url", try api.url, "--token", token, "--collection", "products",
                             "--chunk", "10", "--concurrency", "2", "--retry-delay", "0.05", "--progress-interval", "60",
                             scratch.file("rows.ndjson")]
            let checkpoint = scratch.file("rows.ndjson.rejects.ndjson.checkpoint")
            let killed = try await ClientBinary.runAndKill(arguments, when: { ClientBinary.confirmedChunks(inCheckpoint: checkpoint) >= 8 })
            try #require(killed, "the import ended before it could be killed")

            let resumed = try await ClientBinary.run(arguments + ["--resume"])
            #expect(resumed.status == 1, "stderr: \(resumed.stderr)")  // rows 7, 42 and 150 are rejected
            #expect(resumed.stdoutLines.first?.hasPrefix("read 300, sent 299, created 297, rejected 3, ") == true, "\(resumed.stdout)")
            #expect(resumed.stderr.contains("note: --resume: skipping "))
            #expect(!FileManager.default.fileExists(atPath: checkpoint))

            // One clean run of the same file by another tenant: its own keys, its own documents.
            let other = try await api.token(tenant: "clean-corp")
            let clean = try await ClientBinary.run(
                ["import", "--url", try api.url, "--token", other, "--collection", "products", "--chunk", "10",
                 "--rejects", scratch.file("clean.rejects.ndjson"), "--progress-interval", "60", scratch.file("rows.ndjson")])
            #expect(clean.stdoutLines.first?.hasPrefix("read 300, sent 299, created 297, rejected 3, ") == true, "\(clean.stdout)")

            let imported = try await Self.contents(api, token: token)
            #expect(imported.count == 297)
            #expect(Set(imported).count == 297, "no row twice")
            #expect(imported == (try await Self.contents(api, token: other)))
            #expect(try Set(scratch.read("rows.ndjson.rejects.ndjson").split(separator: "\n"))
                == Set(scratch.read("clean.rejects.ndjson").split(separator: "\n")))
        }
    }

    /// The first answer is lost (the gateway's insert is held past the client's timeout):
    /// the chunk is sent again with its key and written once.
    @Test func aChunkWhoseAnswerIsLostIsWrittenOnce() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-lost-\(UInt32.random(in: 0 ... .max))"
            let scratch = try TemporaryDirectory(["rows.ndjson": ImportRetryFakeTests.rows(5)])
            defer { scratch.remove() }
            try await GatewayHarness.with(yaml: Self.yaml, appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                try await TestBackend.configureFailPoint("""
                    {"configureFailPoint":"failCommand","mode":{"times":1},
                     "data":{"failCommands":["insert"],"blockConnection":true,"blockTimeMS":2500,"appName":"\(appName)"}}
                    """, pool: admin)
                let unblocked = ContinuousClock.now + .milliseconds(3000)
                let token = try await api.token()
                let result = try await ClientBinary.run([
                    "import", "--url", try api.url, "--token", token, "--collection", "products", "--timeout", "1",
                    "--retry-delay", "0.05", "--progress-interval", "60", scratch.file("rows.ndjson"),
                ])
                try? await TestBackend.disableFailCommand(pool: admin)
                #expect(result.status == 0, "stderr: \(result.stderr)")
                #expect(result.stdoutLines.first?.hasPrefix("read 5, sent 5, created 5, rejected 0, ") == true, "\(result.stdout)")
                #expect(result.stderr.contains("note: rows 1-5: the gateway at \(try api.url) did not answer within 1 s"))
                // The held request has finished too (or will not write) before the count.
                try await Task.sleep(until: unblocked)
                let imported = try await Self.contents(api, token: token)
                #expect(imported.count == 5)
                #expect(Set(imported).count == 5)
            }
        }
    }

    @Test func theSameImportAgainWritesNothing() async throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": ImportRetryFakeTests.rows(25)])
        defer { scratch.remove() }
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let arguments = ["import", "--url", try api.url, "--token", token, "--collection", "products", "--chunk", "10",
                             "--progress-interval", "60", scratch.file("rows.ndjson")]
            let first = try await ClientBinary.run(arguments)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            let again = try await ClientBinary.run(arguments)
            #expect(again.status == 0, "stderr: \(again.stderr)")
            #expect(again.stdoutLines.first?.hasPrefix("read 25, sent 25, created 25, rejected 0, ") == true)
            #expect(again.stderr.contains("note: 25 row(s) had already been written by an earlier request with the same Idempotency-Key"))
            #expect(try await Self.contents(api, token: token).count == 25)
        }
    }

    @Test func batchWithAKeyRunsOnce() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let token = try await api.token()
            let arguments = ["batch", "--url", try api.url, "--token", token, "--json", "--idempotency-key", "batch-1",
                             "--operations", #"[{"op":"create","collection":"products","data":{"name":"Widget A","price":1}}]"#]
            try await ClientBinary.expectBatchReplayed(arguments)
            #expect(try await Self.contents(api, token: token).count == 1)
        }
    }
}
