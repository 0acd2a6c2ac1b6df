import Testing
@testable import PMBSON

@Suite struct JSONReaderRejectionTests {
    @Test func emptyInput() {
        #expect(jsonError("") == JSONError(offset: 0, message: "empty input"))
        #expect(jsonError("  \n") == JSONError(offset: 0, message: "empty input"))
        #expect(throws: JSONError(offset: 0, message: "empty input")) { try JSONReader.parseDocument("") }
    }

    @Test func trailingData() {
        #expect(jsonError(#"{"a":1} x"#) == JSONError(offset: 8, message: "trailing data after JSON value at byte 8"))
        #expect(jsonError(#"{"a":1}{}"#)?.message == "trailing data after JSON value at byte 7")
        #expect(jsonError("1 2")?.offset == 2)
    }

    @Test func truncatedInput() {
        #expect(jsonError(#"{"a":1"#) == JSONError(offset: 6, message: "unexpected end of input at byte 6"))
        #expect(jsonError(#"{"a":"#)?.message == "unexpected end of input at byte 5")
        #expect(jsonError(#"{"a"#)?.message == "unterminated string starting at byte 1")
        #expect(jsonError("[1,") != nil)
        #expect(jsonError("tru") != nil)
    }

    @Test func unexpectedCharacters() {
        #expect(jsonError(#"{"a":x}"#) == JSONError(offset: 5, message: "unexpected character 'x' at byte 5"))
        #expect(jsonError(#"{"a" 1}"#)?.message == "expected ':' after object key at byte 5, found character '1'")
        #expect(jsonError(#"{a:1}"#)?.message == "expected a string key at byte 1, found character 'a'")
        #expect(jsonError(#"{"a":1 "b":2}"#)?.message == "expected ',' or '}' at byte 7, found character '\"'")
        #expect(jsonError("[1 2]")?.message == "expected ',' or ']' at byte 3, found character '2'")
        #expect(jsonError("['a']")?.message == "unexpected character ''' at byte 1")
        #expect(jsonError("trUe")?.offset == 2)
    }

    @Test func trailingCommas() {
        #expect(jsonError(#"{"a":1,}"#) == JSONError(offset: 7, message: "trailing comma before '}' at byte 7"))
        #expect(jsonError("[1,2,]") == JSONError(offset: 5, message: "trailing comma before ']' at byte 5"))
        #expect(jsonError("[,]") != nil)
        #expect(jsonError("{,}") != nil)
    }

    @Test func comments() {
        #expect(jsonError("{/* c */}")?.message == "expected a string key at byte 1, found character '/'")
        #expect(jsonError("{\"a\":1 // c\n}") != nil)
        #expect(jsonError("# c\n{}") != nil)
    }

    @Test func byteOrderMarkIsRejected() {
        #expect(jsonError([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == JSONError(offset: 0, message: "unexpected byte 0xEF at byte 0"))
    }

    @Test func duplicateKeys() {
        #expect(jsonError(#"{"a":1,"a":2}"#) == JSONError(offset: 7, message: #"duplicate key "a" at byte 7"#))
        #expect(jsonError(#"{"a":1,"b":{"a":2,"a":3}}"#)?.message == #"duplicate key "a" at byte 18"#)
        // An escaped spelling is the same key.
        #expect(jsonError(#"{"é":1,"\u00e9":2}"#)?.message.hasPrefix(#"duplicate key "é""#) == true)
        // Long keys that share a prefix and suffix are distinct.
        #expect(jsonError(#"{"prefix_xxxx_1_suffix":1,"prefix_xxxx_2_suffix":2}"#) == nil)
        // The same key in sibling objects is fine.
        #expect(jsonError(#"[{"a":1},{"a":2}]"#) == nil)
    }

    @Test func duplicateKeysInLargeObjects() {
        var members = (0..<100).map { "\"k\($0)\":\($0)" }
        #expect(jsonError("{" + members.joined(separator: ",") + "}") == nil)
        members.append("\"k57\":0")
        #expect(jsonError("{" + members.joined(separator: ",") + "}")?.message.hasPrefix(#"duplicate key "k57""#) == true)
    }

    @Test func nulInKeys() {
        #expect(jsonError(#"{"a\u0000b":1}"#) == JSONError(offset: 3, message: "object key contains U+0000 at byte 3"))
        #expect(jsonError(jsonBytes("{\"a", [0x00], "\":1}")) == JSONError(offset: 3, message: "unescaped control character U+0000 in string at byte 3"))
    }

    @Test func controlCharactersInStrings() {
        #expect(jsonError("\"a\tb\"") == JSONError(offset: 2, message: "unescaped control character U+0009 in string at byte 2"))
        #expect(jsonError("\"a\nb\"")?.offset == 2)
        #expect(jsonError(jsonBytes("\"", [0x1F], "\"")) != nil)
        #expect(jsonError(jsonBytes("\"\\n", [0x01], "\"")) != nil)  // also after an escape
        #expect(jsonError(jsonBytes("\"", [0x7F], "\"")) == nil)  // DEL is allowed
    }

    @Test func invalidEscapes() {
        #expect(jsonError(#""\x41""#) == JSONError(offset: 1, message: "invalid escape sequence '\\x' at byte 1"))
        #expect(jsonError(#""\u12""#)?.message == "invalid \\u escape at byte 1: expected 4 hex digits")
        #expect(jsonError(#""\u12G4""#) != nil)
        #expect(jsonError(#""\'""#) != nil)
    }

    @Test func unpairedSurrogateEscapes() {
        #expect(jsonError(#""\ud800""#) == JSONError(offset: 1, message: "unpaired surrogate \\ud800 at byte 1"))
        #expect(jsonError(#"{"a":"\uD800x"}"#) == JSONError(offset: 6, message: "unpaired surrogate \\ud800 at byte 6"))
        #expect(jsonError(#""\udc00""#)?.message == "unpaired surrogate \\udc00 at byte 1")
        #expect(jsonError(#""\ude00\ud83d""#)?.message == "unpaired surrogate \\ude00 at byte 1")
        #expect(jsonError(#""\ud83d\ud83d""#)?.message == "unpaired surrogate \\ud83d at byte 1")
        #expect(jsonError(#""\ud83d\u0041""#) != nil)
        #expect(jsonError(#""\ud83d\n""#) != nil)
        #expect(jsonError(#""x\ud83d""#)?.offset == 2)
    }

    @Test(arguments: [
        [0x80] as [UInt8],  // lone continuation byte
        [0xBF],
        [0xC0, 0x80],  // overlong NUL
        [0xC1, 0xBF],  // overlong
        [0xE0, 0x80, 0x80],  // overlong 3-byte
        [0xE0, 0x9F, 0xBF],
        [0xF0, 0x80, 0x80, 0x80],  // overlong 4-byte
        [0xF0, 0x8F, 0xBF, 0xBF],
        [0xED, 0xA0, 0x80],  // U+D800 encoded in UTF-8
        [0xED, 0xBF, 0xBF],  // U+DFFF encoded in UTF-8
        [0xF4, 0x90, 0x80, 0x80],  // U+110000
        [0xF5, 0x80, 0x80, 0x80],
        [0xFF],
        [0xFE],
        [0xC3],  // truncated 2-byte
        [0xE2, 0x82],  // truncated 3-byte
        [0xF0, 0x9F, 0x98],  // truncated 4-byte
        [0xC3, 0x41],  // continuation missing
    ])
    func invalidUTF8InStrings(sequence: [UInt8]) {
        #expect(jsonError(jsonBytes(#"{"a":"xy"#, sequence, #""}"#)) == JSONError(offset: 8, message: "invalid UTF-8 at byte 8"))
        #expect(jsonError(jsonBytes(#"{"k"#, sequence, #"":1}"#))?.message == "invalid UTF-8 at byte 3")
        #expect(jsonError(jsonBytes(#"["\n"#, sequence, #""]"#))?.message == "invalid UTF-8 at byte 4")
    }

    @Test func invalidUTF8OutsideStrings() {
        #expect(jsonError(jsonBytes("{", [0xC3, 0xA9], "}")) == JSONError(offset: 1, message: "expected a string key at byte 1, found byte 0xC3"))
    }

    @Test(arguments: [
        [0xC2, 0x80] as [UInt8],  // U+0080
        [0xDF, 0xBF],  // U+07FF
        [0xE0, 0xA0, 0x80],  // U+0800
        [0xED, 0x9F, 0xBF],  // U+D7FF
        [0xEE, 0x80, 0x80],  // U+E000
        [0xEF, 0xBF, 0xBF],  // U+FFFF
        [0xF0, 0x90, 0x80, 0x80],  // U+10000
        [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF
    ])
    func validUTF8Boundaries(sequence: [UInt8]) throws {
        let value = try JSONReader.parseValue(jsonBytes("\"", sequence, "\""))
        #expect(value == .string(String(decoding: sequence, as: UTF8.self)))
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 63) + "{}" + String(repeating: "]", count: 63)
        #expect(jsonError(ok) == nil)
        let tooDeep = String(repeating: "[", count: 64) + "{}" + String(repeating: "]", count: 64)
        #expect(jsonError(tooDeep) == JSONError(offset: 64, message: "nesting deeper than 64 levels at byte 64"))
    }

    @Test func depthLimitWithObjects() throws {
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"a":"#, count: levels - 1) + "{}" + String(repeating: "}", count: levels - 1)
        }
        #expect(try JSONReader.parseDocument(nested(64)).value(atPath: String(repeating: "a.", count: 62) + "a") == .document(BSONDocument()))
        #expect(throws: JSONError.self) { try JSONReader.parseDocument(nested(65)) }
        #expect((try? JSONReader.parseDocument(nested(65)))  == nil)
        #expect(jsonError(nested(3), maxDepth: 2)?.message == "nesting deeper than 2 levels at byte 10")
        // Scalars do not count: a depth-1 object holding a string is fine at maxDepth 1.
        #expect(jsonError(#"{"a":"b"}"#, maxDepth: 1) == nil)
        #expect(jsonError(#"{"a":[]}"#, maxDepth: 1) != nil)
    }

    @Test func veryDeepInputDoesNotOverflowTheStack() {
        let hostile = String(repeating: "[", count: 100_000)
        #expect(jsonError(hostile)?.message == "nesting deeper than 64 levels at byte 64")
    }
}
