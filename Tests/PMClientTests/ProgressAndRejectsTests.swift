import Foundation
import PMBSON
import PMTestKit
import Testing
@testable import PMClient

@Suite("Progress lines, rejects and the import summary")
struct ProgressAndRejectsTests {
    static var counts: ImportCounts {
        var counts = ImportCounts()
        counts.read = 5000
        counts.created = 3990
        counts.rejected = 10
        counts.bytesRead = 500_000
        counts.totalBytes = 1_000_000
        return counts
    }

    @Test func plainLineForLogs() {
        // Half the file read, 4000 of the 5000 rows read are done: 40 % done after 2 s.
        #expect(ProgressLine.plain(Self.counts, elapsedSeconds: 2)
            == "progress: 5000 read, 4000 done (3990 created, 10 rejected), 2000 docs/s, 40%, ETA 3s")
    }

    @Test func barForTerminals() {
        #expect(ProgressLine.bar(Self.counts, elapsedSeconds: 2, width: 10)
            == "[####------]   40%  4000 docs  2000 docs/s  10 rejected  ETA 0:03")
    }

    @Test func withoutASizeThereIsNoPercentOrETA() {
        var counts = Self.counts
        counts.totalBytes = nil
        #expect(ProgressLine.plain(counts, elapsedSeconds: 4) == "progress: 5000 read, 4000 done (3990 created, 10 rejected), 1000 docs/s")
    }

    @Test func rejectLines() throws {
        let sent = Reject(row: 3, line: 4, document: BSONDocument(["price": .int32(-5)]), code: "schema_validation", message: "price must be at least 0")
        #expect(sent.json.jsonString == #"{"row":3,"line":4,"error":{"code":"schema_validation","message":"price must be at least 0"},"document":{"price":-5}}"#)
        let unread = Reject(row: 1, line: 1, raw: "{bad", code: "invalid_json", message: "m")
        #expect(unread.json.jsonString == #"{"row":1,"line":1,"error":{"code":"invalid_json","message":"m"},"raw":"{bad"}"#)
    }

    @Test func rejectsFileIsRemovedWhenNothingWasRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = try RejectsWriter(path: directory.path + "/none.ndjson")
        #expect(empty.close() == false)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/none.ndjson"))
        let some = try RejectsWriter(path: directory.path + "/some.ndjson")
        some.write(Reject(row: 1, line: 2, raw: "x", code: "invalid_json", message: "m"))
        some.write(Reject(row: 2, line: 3, raw: "y", code: "invalid_json", message: "n"))
        #expect(some.close())
        let text = try String(contentsOfFile: directory.path + "/some.ndjson", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func summaryAndExitCode() {
        var summary = ImportSummary(counts: Self.counts, seconds: 2, rejectsPath: "rows.csv.rejects.ndjson", abortedBecause: nil)
        summary.counts.sent = 4000
        summary.counts.rejectedLocally = 2
        #expect(summary.text == """
            read 5000, sent 4000, created 3990, rejected 10, 2.00 s, 2000 docs/s
            rejected rows (2 could not be read and were not sent) are in rows.csv.rejects.ndjson

            """)
        #expect(summary.exitCode == 1)
        summary.counts.rejected = 0
        #expect(summary.exitCode == 0)
        summary.abortedBecause = .unreachable(url: "http://x", detail: "refused")
        #expect(summary.exitCode == 2)
    }
}
