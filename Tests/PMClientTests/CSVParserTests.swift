import PMTestKit
import Testing
@testable import PMClient

@Suite("CSV parser (RFC 4180)")
struct CSVParserTests {
    private func records(_ text: String) throws -> [CSVParser.Record] {
        try csvRows(text).compactMap { if case .record(let record) = $0 { record } else { nil } }
    }

    @Test func plainFieldsAndLineNumbers() throws {
        let rows = try records("a,b,c\n1,2,3\n")
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(rows.map(\.line) == [1, 2])
        #expect(rows[1].raw == "1,2,3")
    }

    @Test func quotedFieldsHoldDelimitersAndEscapedQuotes() throws {
        let rows = try records(#"name,note"# + "\n" + #""Smith, John","He said ""hi""""# + "\n")
        #expect(rows[1].fields == ["Smith, John", #"He said "hi""#])
    }

    @Test func crlfLineEndsAreNotPartOfTheLastField() throws {
        let rows = try records("a,b\r\n1,2\r\n3,4")
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    @Test func embeddedLineBreaksInQuotesKeepTheRecordTogether() throws {
        let rows = try records("id,text\n1,\"line one\r\nline two\nline three\"\n2,next\n")
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["1", "line one\r\nline two\nline three"])
        #expect(rows[1].line == 2)
        #expect(rows[2].fields == ["2", "next"])
        #expect(rows[2].line == 5)  // the record after the multi-line one starts on line 5
    }

    @Test func emptyFieldsQuotedEmptyAndTrailingDelimiter() throws {
        let rows = try records("a,,\"\",d,\n")
        #expect(rows[0].fields == ["a", "", "", "d", ""])
    }

    @Test func blankLinesAreSkippedAndTheLastLineNeedsNoBreak() throws {
        let rows = try records("a\n\n\r\nb\n\nc")
        #expect(rows.map(\.fields) == [["a"], ["b"], ["c"]])
        #expect(rows.map(\.line) == [1, 4, 6])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsText() throws {
        let rows = try records("5\" screen,x\n")
        #expect(rows[0].fields == ["5\" screen", "x"])
    }

    @Test func textAfterAClosingQuoteIsAMalformedRowAndParsingGoesOn() throws {
        let rows = try csvRows("a,b\n\"ab\"c,d\ne,f\n")
        #expect(rows.count == 3)
        guard case .malformed(let line, let raw, let message) = rows[1] else {
            Issue.record("expected a malformed row, got \(rows[1])")
            return
        }
        #expect(line == 2)
        #expect(raw == "\"ab\"c,d")
        #expect(message == "unexpected 'c' after the closing quote of field 1")
        #expect(rows[2] == .record(CSVParser.Record(fields: ["e", "f"], line: 3, raw: "e,f")))
    }

    @Test func anUnclosedQuoteAtTheEndIsMalformed() throws {
        let rows = try csvRows("a\n\"never closed\nmore\n")
        #expect(rows.count == 2)
        guard case .malformed(let line, _, let message) = rows[1] else {
            Issue.record("expected a malformed row")
            return
        }
        #expect(line == 2)
        #expect(message == "a quoted field opened on line 2 is not closed")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let parser = CSVParser(BufferedInput(bytes: [0xEF, 0xBB, 0xBF] + Array("name\nx\n".utf8)))
        guard case .record(let header)? = try parser.next() else {
            Issue.record("no header")
            return
        }
        #expect(header.fields == ["name"])
    }

    @Test func invalidUTF8IsMalformed() throws {
        let parser = CSVParser(BufferedInput(bytes: Array("a,b\n".utf8) + [0x61, 0x2C, 0xFF, 0x0A]))
        _ = try parser.next()
        guard case .malformed(_, _, let message)? = try parser.next() else {
            Issue.record("expected malformed")
            return
        }
        #expect(message == "field 2 is not valid UTF-8")
    }

    @Test func otherDelimiters() throws {
        let parser = CSVParser(input("a;b\n\"1;2\";3\n"), delimiter: UInt8(ascii: ";"))
        _ = try parser.next()
        #expect(try parser.next() == .record(CSVParser.Record(fields: ["1;2", "3"], line: 2, raw: "\"1;2\";3")))
    }

    @Test func largeInputAcrossBufferBoundaries() throws {
        // More than one 256 KiB read block, with a quoted field spanning a boundary.
        var text = "id,text\n"
        for i in 0..<20_000 { text += "\(i),\"row \(i), \"\"quoted\"\"\nsecond line\"\n" }
        let directory = try TemporaryDirectory(["big.csv": text])
        defer { directory.remove() }
        let parser = CSVParser(try BufferedInput(path: directory.path + "/big.csv"))
        var rows: [CSVParser.Record] = []
        while let row = try parser.next() {
            guard case .record(let record) = row else {
                Issue.record("malformed: \(row)")
                return
            }
            rows.append(record)
        }
        #expect(parser.bytesRead == text.utf8.count)
        #expect(rows.count == 20_001)
        #expect(rows[12_345].fields == ["12344", "row 12344, \"quoted\"\nsecond line"])
        #expect(rows[12_345].line == 1 + 12_344 * 2 + 1)
    }
}
