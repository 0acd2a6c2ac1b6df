import Foundation
import PMBSON
import PMTestKit
import Testing
@testable import PMClient

@Suite("Import checkpoints and resumed rejects files")
struct ImportCheckpointTests {
    static func header(_ input: String, chunk: Int = 500) -> ImportCheckpoint.Header {
        .current(identity: ImportIdentity(input: input, collection: "products", atomic: false), format: "ndjson", chunkSize: chunk)
    }

    static func entry(_ first: Int, _ last: Int, created: Int, rejected: Int = 0) -> ImportCheckpoint.Entry {
        var counts = ImportCounts()
        counts.sent = created + rejected
        counts.created = created
        counts.rejected = rejected
        return ImportCheckpoint.Entry(firstRow: first, lastRow: last, digest: "d\(first)", counts: counts)
    }

    @Test func confirmedChunksAndPieceSizesAreReadBack() throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": "{}\n"])
        defer { scratch.remove() }
        let path = scratch.file("rows.checkpoint")
        let header = Self.header(scratch.file("rows.ndjson"))
        #expect(header.fileSize == 3)
        #expect(header.modifiedNanoseconds != nil)

        let first = try ImportCheckpoint(path: path, header: header, resume: false)
        #expect(!first.replacedEarlier)
        first.recordSending(firstRow: 1, pieceSize: 500)
        first.recordSending(firstRow: 501, pieceSize: 10)
        first.recordConfirmed(Self.entry(501, 1003, created: 498, rejected: 2))
        first.close()
        // A line cut short by a kill is ignored.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        handle.write(Data(#"{"confirmed":1,"last":5"#.utf8))
        try handle.close()

        let resumed = try ImportCheckpoint(path: path, header: header, resume: true)
        #expect(resumed.confirmed == [501: Self.entry(501, 1003, created: 498, rejected: 2)])
        #expect(resumed.pieceSizes == [1: 500, 501: 10])
        #expect(resumed.confirmedRanges.contains(501) && resumed.confirmedRanges.contains(1003))
        #expect(!resumed.confirmedRanges.contains(500) && !resumed.confirmedRanges.contains(1004))
        resumed.recordConfirmed(Self.entry(1, 500, created: 500))
        resumed.close()
        let again = try ImportCheckpoint(path: path, header: header, resume: true)
        #expect(again.confirmed.keys.sorted() == [1, 501])
        again.remove()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func withoutResumeAnEarlierCheckpointIsReplaced() throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": "{}\n"])
        defer { scratch.remove() }
        let path = scratch.file("rows.checkpoint")
        let header = Self.header(scratch.file("rows.ndjson"))
        let first = try ImportCheckpoint(path: path, header: header, resume: false)
        first.recordConfirmed(Self.entry(1, 500, created: 500))
        first.close()
        let fresh = try ImportCheckpoint(path: path, header: header, resume: false)
        #expect(fresh.replacedEarlier)
        #expect(fresh.confirmed.isEmpty)
        fresh.close()
        let lines = try scratch.read("rows.checkpoint").split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"import_checkpoint":1,"input":""#) == true)
    }

    @Test func resumingAnotherImportIsRefused() throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": "{}\n", "other.ndjson": "{}\n"])
        defer { scratch.remove() }
        let path = scratch.file("rows.checkpoint")
        try ImportCheckpoint(path: path, header: Self.header(scratch.file("rows.ndjson")), resume: false).close()

        #expect(throws: ClientError.input("""
            \(path) belongs to another import (documents per chunk: 500 then, 100 now): resume with the same input and \
            arguments, or remove the file to start over
            """)) {
            try ImportCheckpoint(path: path, header: Self.header(scratch.file("rows.ndjson"), chunk: 100), resume: true)
        }
        #expect(throws: ClientError.self) {
            try ImportCheckpoint(path: path, header: Self.header(scratch.file("other.ndjson")), resume: true)
        }
        // The file changed since.
        try "{}\n{}\n".write(toFile: scratch.file("rows.ndjson"), atomically: false, encoding: .utf8)
        #expect(throws: ClientError.input("""
            \(path) belongs to another import (the input changed since (size or modification time)): resume with the \
            same input and arguments, or remove the file to start over
            """)) {
            try ImportCheckpoint(path: path, header: Self.header(scratch.file("rows.ndjson")), resume: true)
        }
        try #"{"something":"else"}"#.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: ClientError.input("\(path) is not an import checkpoint: remove it, or pass another --rejects")) {
            try ImportCheckpoint(path: path, header: Self.header(scratch.file("rows.ndjson")), resume: true)
        }
    }

    @Test func anEmptyOrMissingCheckpointResumesFromTheStart() throws {
        let scratch = try TemporaryDirectory(["rows.ndjson": "{}\n", "rows.checkpoint": ""])
        defer { scratch.remove() }
        let header = Self.header(scratch.file("rows.ndjson"))
        let empty = try ImportCheckpoint(path: scratch.file("rows.checkpoint"), header: header, resume: true)
        #expect(empty.confirmed.isEmpty)
        empty.close()
        #expect(try scratch.read("rows.checkpoint").hasPrefix(#"{"import_checkpoint":1,"#))
        let missing = try ImportCheckpoint(path: scratch.file("none.checkpoint"), header: header, resume: true)
        #expect(!missing.replacedEarlier)
        missing.remove()
    }

    @Test func aResumedRejectsFileKeepsOnlyTheConfirmedRows() throws {
        let earlier = [
            Reject(row: 2, line: 2, raw: "{bad", code: "invalid_json", message: "m"),
            Reject(row: 3, line: 3, document: BSONDocument(["price": .int32(-1)]), code: "schema_validation", message: "p"),
            Reject(row: 12, line: 13, document: BSONDocument(), code: "request_failed", message: "no answer"),
            Reject(row: 20, line: 21, document: BSONDocument(), code: "not_sent", message: "stopped"),
        ]
        let text = earlier.map { $0.json.jsonString }.joined(separator: "\n") + "\n" + #"{"row":4,"line":"#
        let scratch = try TemporaryDirectory(["rejects.ndjson": text])
        defer { scratch.remove() }
        let writer = try RejectsWriter(path: scratch.file("rejects.ndjson"), keepingRowsIn: RowRanges([1...10, 21...30]))
        #expect(writer.count == 2)
        writer.write(Reject(row: 12, line: 13, document: BSONDocument(), code: "schema_validation", message: "now answered"))
        #expect(writer.close())
        let rows = try scratch.read("rejects.ndjson").split(separator: "\n").map { try JSONReader.parseDocument(String($0)).int("row") }
        #expect(rows == [2, 3, 12])
        #expect(!FileManager.default.fileExists(atPath: scratch.file("rejects.ndjson.earlier")))
    }

    @Test func rowRanges() {
        let ranges = RowRanges([501...1000, 1...500, 2001...2001])
        for row in [1, 250, 500, 501, 1000, 2001] { #expect(ranges.contains(row), "\(row)") }
        for row in [0, 1001, 2000, 2002] { #expect(!ranges.contains(row), "\(row)") }
        #expect(!RowRanges([]).contains(1))
    }
}
