import PMBSON
import PMTestKit
import Testing
@testable import PMClient

@Suite("--operations input")
struct OperationsInputTests {
    static let create = #"{"op":"create","collection":"orders","data":{"total":5}}"#

    @Test func aRawArray() throws {
        let request = try OperationsInput.request(from: "[\(Self.create)]")
        #expect(request.operations == [.document(try json(Self.create))])
        #expect(request.options.isEmpty)
        #expect(request.body.jsonString == #"{"operations":[\#(Self.create)]}"#)
    }

    @Test func aWholeBodyKeepsItsOptionsAndFlagsOverrideThem() throws {
        let text = #"{"operations":[\#(Self.create)],"options":{"atomic":false,"return_records":true}}"#
        let plain = try OperationsInput.request(from: text)
        #expect(plain.options == BSONDocument(["atomic": .bool(false), "return_records": .bool(true)]))
        let overridden = try OperationsInput.request(from: text, overrides: BatchOptions(atomic: true, validateOnly: true))
        #expect(overridden.options == BSONDocument([
            "atomic": .bool(true), "return_records": .bool(true), "validate_only": .bool(true),
        ]))
        #expect(overridden.body.jsonString == #"{"operations":[\#(Self.create)],"options":{"atomic":true,"return_records":true,"validate_only":true}}"#)
    }

    @Test func fromAFile() throws {
        let directory = try TemporaryDirectory(["ops.json": "[\n  \(Self.create)\n]\n"])
        defer { directory.remove() }
        let request = try OperationsInput.request(from: "@" + directory.path + "/ops.json", overrides: BatchOptions(continueOnError: true))
        #expect(request.operations.count == 1)
        #expect(request.options == BSONDocument(["continue_on_error": .bool(true)]))
    }

    @Test func fromStandardInput() throws {
        let request = try OperationsInput.request(from: "-", readStandardInput: { Array("[\(Self.create)]".utf8) })
        #expect(request.op(at: 0) == "create")
        #expect(request.collection(at: 0) == "orders")
    }

    @Test func badJSONSaysWhere() {
        let text = "[\n  {\"op\":\"create\" \"collection\":\"orders\"}\n]"
        #expect(throws: ClientError.input("--operations: invalid JSON at line 2, column 18: expected ',' or '}' at byte 19, found character '\"'")) {
            try OperationsInput.request(from: text)
        }
    }

    @Test func badJSONInAFileNamesTheFile() throws {
        let directory = try TemporaryDirectory(["ops.json": "[{\"op\":\"get\"},\n {oops}]"])
        defer { directory.remove() }
        let path = directory.path + "/ops.json"
        #expect(throws: ClientError.input("--operations (file \(path)): invalid JSON at line 2, column 3: expected a string key at byte 17, found character 'o'")) {
            try OperationsInput.request(from: "@" + path)
        }
    }

    @Test func shapesThatAreNotOperations() {
        func problem(_ text: String) -> String? {
            do {
                _ = try OperationsInput.request(from: text)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem("") == "--operations: no JSON given")
        #expect(problem("[]") == "--operations: there are no operations")
        #expect(problem("42") == #"--operations: expected an array of operations or an object with "operations""#)
        #expect(problem(#"{"ops":[]}"#) == #"--operations: expected an array of operations or an object with "operations""#)
        #expect(problem(#"{"operations":{}}"#) == #"--operations: "operations" must be an array"#)
        #expect(problem(#"{"operations":[{"op":"get"}],"options":[]}"#) == #"--operations: "options" must be an object"#)
        #expect(problem(#"{"operations":[{"op":"get"}],"atomic":true}"#) == #"--operations: unexpected key "atomic" (expected "operations" and "options")"#)
        #expect(problem(#"[{"op":"get"}, 3]"#) == "--operations: operation 1 is not an object")
        #expect(problem(#"[{"collection":"x"}]"#) == #"--operations: operation 0 has no "op" (create, update, upsert, delete, get, list, link, unlink)"#)
        #expect(problem("@/nonexistent/ops.json") == "--operations: the file /nonexistent/ops.json does not exist")
        #expect(problem("@") == "--operations @FILE: the file name is missing after @")
    }

    @Test func linkOperationsNameBothCollections() throws {
        let request = try OperationsInput.request(from: """
            [{"op":"link","rel_type":"contains","source":{"collection":"orders","id":"a"},"target":{"collection":"items","id":"b"}}]
            """)
        #expect(request.collection(at: 0) == "orders → items")
        #expect(request.op(at: 5) == "?")
    }
}
