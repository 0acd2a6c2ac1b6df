import PMBSON
import PMTestKit
import Testing
@testable import PMSchema

/// Each field type, through every place it is used: the model path and the byte path on
/// the same documents, values for updates, CSV cells, and its description.
@Suite struct FieldTypeTests {
    static let fields = """
        s:    { type: string }
        n:    { type: number }
        i:    { type: integer }
        b:    { type: boolean }
        d:    { type: date }
        o:    { type: objectid }
        obj:  { type: object, fields: { at: { type: date }, k: { type: integer } } }
        any:  { type: object }
        list: { type: array, items: { type: date } }
        free: { type: array }
        """

    /// For every type: a value both paths accept (and store alike), and one of the wrong type.
    @Test func bothPathsAgreeOnEveryType() throws {
        let paths = try BothPaths(Self.fields)
        let accepted: [(String, String)] = [
            ("s", #""text""#), ("n", "2.5"), ("i", "7"), ("b", "true"), ("d", #""2024-03-01T12:00:00Z""#),
            ("o", #""65a1b2c3d4e5f60718293a4b""#), ("obj", #"{"at":"2024-01-02","k":3,"extra":[1]}"#),
            ("any", #"{"x":{"y":[null]}}"#), ("list", #"["2024-01-01","2024-01-02T00:00:00.5Z"]"#), ("free", #"[1,"a",{}]"#),
        ]
        for (name, value) in accepted {
            let json = #"{"\#(name)":\#(value)}"#
            let bytes = try #require(try paths.bytes(json), "byte path: \(json)")
            #expect(try paths.model(json) == .success(bytes), "\(json)")
        }
        let wrong: [(String, String, String)] = [
            ("s", "1", "s must be a string"), ("n", #""1""#, "n must be a number"), ("i", "1.5", "i must be an integer"),
            ("b", "0", "b must be a boolean"), ("d", #""soon""#, "d must be a date (ISO-8601)"),
            ("o", #""xyz""#, "o must be an ObjectId (24 hex digits)"), ("obj", "[]", "obj must be an object"),
            ("list", #"["2024-01-01",5]"#, "list[1] must be a date (ISO-8601)"), ("free", "{}", "free must be an array"),
        ]
        for (name, value, message) in wrong {
            let json = #"{"\#(name)":\#(value)}"#
            #expect(try paths.bytes(json) == nil, "\(json)")
            #expect(try paths.message(json) == message)
        }
    }

    /// What the byte path leaves to the model path although the document is valid.
    @Test func integralDoublesAndUnsafeKeysGoToTheModel() throws {
        let paths = try BothPaths(Self.fields)
        #expect(try paths.bytes(#"{"i":3.0}"#) == nil)
        #expect(try paths.model(#"{"i":3.0}"#) == .success(BSONDocument(["i": .int32(3)]).encoded()))
        #expect(try paths.bytes(#"{"any":{"$x":1}}"#) == nil)
        #expect(try paths.message(#"{"any":{"$x":1}}"#) == #"field name "$x" is not allowed (in any)"#)
    }

    @Test func updateValuesAreTypedLikeCreate() throws {
        let schema = try compileTestSchema(Self.fields)
        let date = BSON.date(BSONDate(iso8601: "2024-01-02")!)
        #expect(schema.field(at: "d")?.typed("2024-01-02") == date)
        #expect(schema.field(at: "d")?.typed("not a date") == "not a date")
        #expect(schema.field(at: "o")?.typed("65a1b2c3d4e5f60718293a4b") == .objectId(ObjectId(hex: "65a1b2c3d4e5f60718293a4b")!))
        #expect(schema.field(at: "obj")?.typed(["at": "2024-01-02", "other": "2024-01-02"]) == ["at": date, "other": "2024-01-02"])
        #expect(schema.field(at: "list")?.typed(["2024-01-02", 3]) == [date, 3])
        #expect(schema.field(at: "n")?.typed("2024-01-02") == "2024-01-02")
    }

    @Test func pathsMeetArraysByIndexOrThroughTheirItems() throws {
        let schema = try compileTestSchema("lines: { type: array, items: { type: object, fields: { at: { type: date } } } }")
        #expect(schema.field(at: "lines.at")?.type == .date)
        #expect(schema.field(at: ["lines", "0", "at"], arrays: .byIndex)?.type == .date)
        #expect(schema.field(at: ["lines", "at"], arrays: .byIndex) == nil)
        #expect(schema.field(at: ["lines", "0", "at"], arrays: .throughItems) == nil)
        #expect(schema.field(at: "lines")?.innermostItems.type == .object)
    }

    @Test func csvCellsAreReadByType() throws {
        let schema = try compileTestSchema(Self.fields)
        func cell(_ name: String, _ text: String) throws(TextMismatch) -> BSON {
            try schema.field(at: name)!.value(fromText: text)
        }
        #expect(try cell("s", " as is ") == " as is ")
        #expect(try cell("n", " 2.50 ") == 2.5)
        #expect(try cell("i", "3.0") == .int32(3))
        #expect(try cell("b", "Yes") == true)
        #expect(try cell("d", "2024-01-02 ") == "2024-01-02")
        #expect(try cell("obj", #"{"k":1}"#) == ["k": 1])
        #expect(try cell("list", "2024-01-01; 2024-01-02") == ["2024-01-01", "2024-01-02"])
        #expect(try cell("free", #"[1,"a"]"#) == [1, "a"])
        #expect(throws: TextMismatch(text: "2.5", expectation: "an integer")) { try cell("i", "2.5") }
        #expect(throws: TextMismatch(text: "x", expectation: "an ISO-8601 date")) { try cell("list", "2024-01-01;x") }
        #expect(throws: TextMismatch(text: "maybe", expectation: "a boolean (true or false)")) { try cell("b", "maybe") }
    }

    @Test func everyTypeDescribesItself() throws {
        let schema = try compileTestSchema("""
            obj: { type: object, additional_fields: reject, fields: { k: { type: integer, required: true } } }
            list: { type: array, min_length: 1, items: { type: string, enum: [a, b] } }
            when: { type: date, default: "2024-01-02T00:00:00Z" }
            """)
        #expect(schema.root.describe() == [
            "additional_fields": "allow",
            "fields": [
                "obj": ["type": "object", "additional_fields": "reject", "fields": ["k": ["type": "integer", "required": true]]],
                "list": ["type": "array", "min_length": .int64(1), "items": ["type": "string", "enum": ["a", "b"]]],
                "when": ["type": "date", "default": .date(BSONDate(iso8601: "2024-01-02T00:00:00Z")!)],
            ],
        ])
    }

    @Test func whyASchemaCannotTakeTheBytePath() throws {
        #expect(try compileTestSchema(Self.fields).bytePath == .available)
        #expect(try compileTestSchema("café: { type: string }").bytePath == .unavailable(reason: "field café has a name that is not ASCII"))
        let many = (0..<65).map { "f\($0): { type: string }" }.joined(separator: "\n")
        #expect(try compileTestSchema("inner: { type: object, fields: { \(many.replacingOccurrences(of: "\n", with: ", ")) } }").bytePath
            == .unavailable(reason: "in inner: an object declares more than 64 fields"))
    }
}
