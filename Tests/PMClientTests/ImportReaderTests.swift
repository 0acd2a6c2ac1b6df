import PMBSON
import PMTestKit
import Testing
@testable import PMClient

@Suite("Import readers: NDJSON, JSON arrays, CSV")
struct ImportReaderTests {
    // MARK: NDJSON

    @Test func ndjsonRowsWithBlankLinesAndBadLines() throws {
        let text = "{\"name\":\"a\"}\n\n  \n{\"name\":\"b\"}\r\n{bad\n[1,2]\n{\"name\":\"c\"}"
        let (rows, error) = readAll(NDJSONReader(input(text)))
        #expect(error == nil)
        #expect(rows.map(\.row) == [1, 2, 3, 4, 5])
        #expect(rows.map(\.line) == [1, 4, 5, 6, 7])
        #expect(rows[0].document == BSONDocument(["name": .string("a")]))
        #expect(rows[1].document == BSONDocument(["name": .string("b")]))  // CRLF
        #expect(rows[2].content == .unreadable(raw: "{bad", code: "invalid_json", message: "expected a string key at byte 1, found character 'b'"))
        #expect(rows[3].content.unreadableMessage == "the line is not a JSON object")
        #expect(rows[4].document == BSONDocument(["name": .string("c")]))
    }

    @Test func ndjsonRejectsDuplicateKeysLikeTheGateway() throws {
        let (rows, _) = readAll(NDJSONReader(input("{\"a\":1,\"a\":2}\n")))
        #expect(rows.first?.content.unreadableCode == "invalid_json")
    }

    // MARK: JSON arrays

    @Test func jsonArrayElementsWithTrickyStrings() throws {
        let text = """
            [
              {"name": "a, [b] {c}", "q": "\\"]"},
              {"nested": {"list": [1, [2, 3]], "s": "}"}} ,
              {"name": "last"}
            ]
            """
        let (rows, error) = readAll(JSONArrayReader(input(text)))
        #expect(error == nil)
        #expect(rows.count == 3)
        #expect(rows.map(\.line) == [2, 3, 4])
        #expect(rows[0].document == BSONDocument(["name": .string("a, [b] {c}"), "q": .string("\"]")]))
        #expect(rows[1].document?.jsonString == #"{"nested":{"list":[1,[2,3]],"s":"}"}}"#)
        #expect(rows[2].document == BSONDocument(["name": .string("last")]))
    }

    @Test func aBadElementIsARejectedRowAndTheOthersStillCome() throws {
        let (rows, error) = readAll(JSONArrayReader(input(#"[{"a":1}, {"a":}, 42, {"a":3},]"#)))
        #expect(error == nil)
        #expect(rows.map(\.row) == [1, 2, 3, 4, 5])
        #expect(rows[1].content.unreadableCode == "invalid_json")
        #expect(rows[2].content.unreadableMessage == "the array element is not a JSON object")
        #expect(rows[3].document == BSONDocument(["a": .int32(3)]))
        #expect(rows[4].content.unreadableMessage == "empty array element")
    }

    @Test func emptyArray() throws {
        let (rows, error) = readAll(JSONArrayReader(input(" [ ] \n")))
        #expect(rows.isEmpty)
        #expect(error == nil)
    }

    @Test func notAnArrayOrNotClosedStopsTheFile() throws {
        let object = readAll(JSONArrayReader(input(#"{"a":1}"#, name: "x.json")))
        #expect(object.error == .input("x.json: expected a JSON array ('[') at line 1, found '{' (for one object per line use .ndjson or --format ndjson)"))
        let unclosed = readAll(JSONArrayReader(input("[{\"a\":1},\n{\"a\":2}", name: "x.json")))
        #expect(unclosed.rows.count == 1)
        #expect(unclosed.error == .input("x.json: unexpected end of file in the element starting at line 2: the array is not closed with ']'"))
        let trailing = readAll(JSONArrayReader(input("[{\"a\":1}] x", name: "x.json")))
        #expect(trailing.rows.count == 1)
        #expect(trailing.error == .input("x.json: unexpected 'x' after the JSON array at line 1"))
    }

    // MARK: CSV

    @Test func csvRowsBecomeDocuments() throws {
        let text = "name,price\nWidget,10\n\"Bad, row\",1,extra\n\"x\"y,2\n,\n"
        let (rows, error) = readAll(CSVReader(input(text)))
        #expect(error == nil)
        #expect(rows.map(\.row) == [1, 2, 3, 4])
        #expect(rows.map(\.line) == [2, 3, 4, 5])
        #expect(rows[0].document == BSONDocument(["name": .string("Widget"), "price": .string("10")]))
        #expect(rows[1].content == .unreadable(raw: "\"Bad, row\",1,extra", code: "invalid_csv", message: "the row has 3 field(s), the header 2"))
        #expect(rows[2].content.unreadableCode == "invalid_csv")
        #expect(rows[3].document == BSONDocument())
    }

    @Test func csvValueOfTheWrongTypeIsRejectedLocally() throws {
        let typing = try SchemaTypingTests.typing()
        let (rows, _) = readAll(CSVReader(input("name,qty\nok,1\nbad,lots\n"), typing: typing))
        #expect(rows[0].document == BSONDocument(["name": .string("ok"), "qty": .int32(1)]))
        #expect(rows[1].content == .unreadable(raw: "bad,lots", code: "invalid_value", message: #"qty: "lots" is not an integer"#))
    }

    @Test func csvWithoutAHeaderOrWithABadOne() throws {
        #expect(readAll(CSVReader(input("", name: "e.csv"))).error == .input("e.csv: the file is empty (a CSV file starts with a header row)"))
        #expect(readAll(CSVReader(input("a,a\n1,2\n", name: "d.csv"))).error == .input(#"CSV header: column "a" appears twice"#))
    }

    // MARK: Files and formats

    @Test func formatsByExtensionOrFlag() throws {
        #expect(try ImportFormat.resolve(explicit: nil, path: "dir.v1/data.NDJSON") == .ndjson)
        #expect(try ImportFormat.resolve(explicit: nil, path: "a.jsonl") == .ndjson)
        #expect(try ImportFormat.resolve(explicit: nil, path: "a.json") == .json)
        #expect(try ImportFormat.resolve(explicit: nil, path: "a.csv") == .csv)
        #expect(try ImportFormat.resolve(explicit: "CSV", path: "a.txt") == .csv)
        #expect(throws: ClientError.self) { try ImportFormat.resolve(explicit: nil, path: "data") }
        #expect(throws: ClientError.usage(#"--format must be ndjson, json or csv (got "xml")"#)) {
            try ImportFormat.resolve(explicit: "xml", path: "a.csv")
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: ClientError.input("/nonexistent/rows.csv: no such file")) {
            try BufferedInput(path: "/nonexistent/rows.csv")
        }
    }

    @Test func fileInputCountsBytesAndKnowsItsSize() throws {
        let directory = try TemporaryDirectory(["a.ndjson": "{\"a\":1}\n{\"a\":2}\n"])
        defer { directory.remove() }
        let reader = NDJSONReader(try BufferedInput(path: directory.path + "/a.ndjson"))
        #expect(reader.totalBytes == 16)
        _ = try reader.next()
        #expect(reader.bytesRead == 8)
        _ = try reader.next()
        #expect(try reader.next() == nil)
        #expect(reader.bytesRead == 16)
    }
}
