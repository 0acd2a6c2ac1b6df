import Foundation
import PMBSON
import PMTestKit
import Testing

@Suite("permission-mongo import (the real binary against a live gateway)")
struct ImportCommandTests {
    /// 24 rows: 20 good, 2 the gateway refuses, 2 that cannot be read; a blank line.
    static var ndjson: String {
        var lines = (1...12).map { #"{"name":"Product \#($0)","price":\#($0)}"# }
        lines += [
            #"{"name":"Product 13","price":-1}"#,
            "",
            "{not json",
            #"["an array"]"#,
            #"{"name":"ab","price":3}"#,
        ]
        lines += (17...24).map { #"{"name":"Product \#($0)","price":\#($0)}"# }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func ndjsonWithBadRows() async throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": Self.ndjson])
        defer { scratch.remove() }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "import", "--url", try api.url, "--token", token, "--collection", "products", scratch.file("rows.ndjson"),
            ])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.first?.hasPrefix("read 24, sent 22, created 20, rejected 4, ") == true, "\(result.stdout)")
            #expect(result.stdoutLines.last == "rejected rows (2 could not be read and were not sent) are in \(scratch.file("rows.ndjson.rejects.ndjson"))")
            // The test gateway's max_batch_size is 10: the 22-document chunk is refused, split and sent again.
            #expect(result.stderrLines.contains("note: the gateway's max_batch_size is 10: sending chunks of 10 documents from now on (--chunk was 500)"))
            // Standard error is a pipe: plain progress lines, the last one at the end.
            #expect(result.stderrLines.last?.hasPrefix("progress: 24 read, 24 done (20 created, 4 rejected), ") == true, "\(result.stderr)")

            #expect(try await api.list("products", token: token).count == 20)
            let rejects = try scratch.ndjson("rows.ndjson.rejects.ndjson")
            #expect(Set(rejects.map(\.rejectSummary)) == [
                RejectSummary(row: 13, line: 13, code: "schema_validation", message: "price must be at least 0"),
                RejectSummary(row: 14, line: 15, code: "invalid_json", message: "expected a string key at byte 1, found character 'n'"),
                RejectSummary(row: 15, line: 16, code: "invalid_json", message: "the line is not a JSON object"),
                RejectSummary(row: 16, line: 17, code: "schema_validation", message: "name must be at least 3 characters"),
            ])
            let priced = try #require(rejects.first { $0.int("row") == 13 })
            #expect(priced.document("document") == BSONDocument(["name": .string("Product 13"), "price": .int32(-1)]))
            let unreadable = try #require(rejects.first { $0.int("row") == 14 })
            #expect(unreadable.string("raw") == "{not json")
            #expect(unreadable["document"] == nil)
        }
    }

    static let csv = """
        name,price,qty,category,tags,dims.w,released,active
        Widget A,19.99,3,widgets,red;blue,2.5,2024-03-01T12:00:00Z,false
        "Widget, large",20,,gadgets,,,,
        "Multi
        line name",7,1,,,,,
        Bad qty,5,lots,,,,,
        Negative,-1,,,,,,
        Too,few,fields
        "Broken"x,1,,,,,,
        Wrong category,1,,tools,,,,
        Last,0,0,,,,,yes

        """

    @Test func csvTypedByTheSchemaWithBadRows() async throws {
        let scratch = try TemporaryDirectory(["rows.csv": Self.csv.replacingOccurrences(of: "\n", with: "\r\n")])
        defer { scratch.remove() }
        let config = try GatewayHarness.temporaryConfig(["gateway.yml": GatewayHarness.productsYAML])
        defer { try? FileManager.default.removeItem(atPath: config) }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "import", "--url", try api.url, "--token", token, "--collection", "products", "--config", config,
                "--rejects", scratch.file("bad.ndjson"), scratch.file("rows.csv"),
            ])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.first?.hasPrefix("read 9, sent 6, created 4, rejected 5, ") == true, "\(result.stdout)")
            #expect(result.stderrLines.contains("note: max_batch_size in the configuration is 10: sending chunks of 10 documents (--chunk 500)"))
            #expect(result.stderrLines.contains { $0.hasPrefix("progress: 9 read, 9 done (4 created, 5 rejected)") })

            let rejects = try scratch.ndjson("bad.ndjson").map(\.rejectSummary)
            #expect(rejects.count == 5)
            #expect(Set(rejects.filter { $0.code != "schema_validation" || !$0.message.hasPrefix("category") }) == [
                RejectSummary(row: 4, line: 6, code: "invalid_value", message: #"qty: "lots" is not an integer"#),
                RejectSummary(row: 5, line: 7, code: "schema_validation", message: "price must be at least 0"),
                RejectSummary(row: 6, line: 8, code: "invalid_csv", message: "the row has 3 field(s), the header 8"),
                RejectSummary(row: 7, line: 9, code: "invalid_csv", message: "unexpected 'x' after the closing quote of field 1"),
            ])
            let category = try #require(rejects.first { $0.row == 8 })
            #expect(category.line == 10)
            #expect(category.message.hasPrefix("category must be one of"))

            let list = try await api.list("products", token: token)
            #expect(list.count == 4)
            let widget = try #require(try await api.list("products", token: token, filter: #"{"name":"Widget A"}"#).data.first)
            #expect(widget["price"] == .double(19.99))
            #expect(widget["qty"] == .int32(3))
            #expect(widget["tags"] == .array([.string("red"), .string("blue")]))
            #expect(widget.document("dims") == BSONDocument(["w": .double(2.5)]))
            #expect(widget.string("released") == "2024-03-01T12:00:00.000Z")
            #expect(widget["active"] == .bool(false))
            let large = try #require(try await api.list("products", token: token, filter: #"{"name":"Widget, large"}"#).data.first)
            #expect(large["price"] == .int32(20))
            #expect(large["qty"] == nil)
            #expect(large["active"] == .bool(true))  // the schema default: the empty value was left out
            #expect(try await api.list("products", token: token, filter: #"{"name":"Multi\r\nline name"}"#).count == 1)
        }
    }

    @Test func atomicChunksWriteAllOrNothing() async throws {
        let rows = [
            #"{"name":"Row 1","price":1}"#, #"{"name":"Row 2","price":2}"#, #"{"name":"Row 3","price":3}"#,
            #"{"name":"Row 4","price":4}"#, #"{"name":"Row 5","price":-5}"#, #"{"name":"Row 6","price":6}"#,
        ]
        let scratch = try TemporaryDirectory(["rows.jsonl": rows.joined(separator: "\n")])
        defer { scratch.remove() }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "import", "--url", try api.url, "--token", token, "--collection", "products", "--chunk", "3", "--atomic",
                scratch.file("rows.jsonl"),
            ])
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.first?.hasPrefix("read 6, sent 6, created 3, rejected 3, ") == true, "\(result.stdout)")
            let rolledBack = "not written: the chunk was rolled back (--atomic) because row 5 failed"
            #expect(Set(try scratch.ndjson("rows.jsonl.rejects.ndjson").map(\.rejectSummary)) == [
                RejectSummary(row: 4, line: 4, code: "rolled_back", message: rolledBack),
                RejectSummary(row: 5, line: 5, code: "schema_validation", message: "price must be at least 0"),
                RejectSummary(row: 6, line: 6, code: "rolled_back", message: rolledBack),
            ])
            let list = try await api.list("products", token: token)
            #expect(list.count == 3)
            #expect(Set(list.data.compactMap { $0.string("name") }) == ["Row 1", "Row 2", "Row 3"])
        }
    }

    @Test func aJSONArrayWithPeriodicProgressLines() async throws {
        let elements = (1...150).map { #"{"name":"Item \#($0)","price":\#($0),"qty":\#($0 % 7)}"# }
        let scratch = try TemporaryDirectory(["items.json": "[\n" + elements.joined(separator: ",\n") + "\n]\n"])
        defer { scratch.remove() }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "import", "--url", try api.url, "--token", token, "--collection", "products", scratch.file("items.json"),
                // 75 requests one after the other: long enough for several progress lines.
                "--chunk", "2", "--concurrency", "1", "--progress-interval", "0.05",
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.count == 1)  // no rejects line
            #expect(result.stdoutLines.first?.hasPrefix("read 150, sent 150, created 150, rejected 0, ") == true)
            let progress = result.stderrLines.filter { $0.hasPrefix("progress: ") }
            #expect(progress.count >= 3, "\(result.stderr)")
            #expect(progress.last?.hasPrefix("progress: 150 read, 150 done (150 created, 0 rejected), ") == true)
            #expect(progress.last?.contains(", 100%") == true)
            #expect(!FileManager.default.fileExists(atPath: scratch.file("items.json.rejects.ndjson")))
            #expect(try await api.list("products", token: token).count == 150)
        }
    }

    @Test func errorsThatStopTheImport() async throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": #"{"name":"Product 1","price":1}"# + "\n"])
        defer { scratch.remove() }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let url = try api.url

            let missing = try await ClientBinary.run(["import", "--url", url, "--token", token, "--collection", "products", "/nonexistent/rows.csv"])
            #expect(missing.status == 2)
            #expect(missing.stderr == "error: /nonexistent/rows.csv: no such file\n")

            let unknownFormat = try await ClientBinary.run(["import", "--url", url, "--token", token, "--collection", "products", "/tmp/rows.txt"])
            #expect(unknownFormat.status == 2)
            #expect(unknownFormat.stderr.hasPrefix("error: cannot tell the format of /tmp/rows.txt"))

            let noCollection = try await ClientBinary.run(["import", "--url", url, "--token", token, "--collection", "nothing", scratch.file("rows.ndjson")])
            #expect(noCollection.status == 1)
            #expect(noCollection.stderr.contains("error: the import stopped before the end of the file: the gateway refused the request: 404 not_found"))
            let rejected = try scratch.ndjson("rows.ndjson.rejects.ndjson").map(\.rejectSummary)
            #expect(rejected.map(\.code) == ["not_found"])

            let badToken = try await ClientBinary.run(["import", "--url", url, "--token", "nope", "--collection", "products", scratch.file("rows.ndjson")])
            #expect(badToken.status == 2)
            #expect(badToken.stderr.contains("401 unauthorized: the gateway refused the token"))
            #expect(try await api.list("products", token: token).count == 0)
        }
    }
}
