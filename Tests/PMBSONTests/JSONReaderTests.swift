import Testing
@testable import PMBSON

@Suite struct JSONReaderValueTests {
    @Test func everyJSONTypeMapsToBSON() throws {
        let doc = try JSONReader.parseDocument(#"{"s":"x","i":1,"d":1.5,"t":true,"f":false,"n":null,"a":[1,"b"],"o":{"k":"v"}}"#)
        #expect(doc.keys == ["s", "i", "d", "t", "f", "n", "a", "o"])
        #expect(doc["s"] == .string("x"))
        #expect(doc["i"] == .int32(1))
        #expect(doc["d"] == .double(1.5))
        #expect(doc["t"] == .bool(true))
        #expect(doc["f"] == .bool(false))
        #expect(doc["n"] == .null)
        #expect(doc["a"] == .array([.int32(1), .string("b")]))
        #expect(doc["o"] == .document(BSONDocument(["k": .string("v")])))
    }

    @Test func keepsFieldOrder() throws {
        let doc = try JSONReader.parseDocument(#"{"z":1,"a":2,"m":3}"#)
        #expect(doc.keys == ["z", "a", "m"])
    }

    @Test func emptyContainersAndWhitespace() throws {
        let doc = try JSONReader.parseDocument(" \t\r\n{ \"a\" : [ ] , \"b\" : { } }\n ")
        #expect(doc == ["a": .array([]), "b": .document(BSONDocument())])
        #expect(try JSONReader.parseDocument("{}") == BSONDocument())
    }

    @Test func topLevelScalarsWithParseValue() throws {
        #expect(try JSONReader.parseValue("42") == .int32(42))
        #expect(try JSONReader.parseValue(" \"hi\" ") == .string("hi"))
        #expect(try JSONReader.parseValue("null") == .null)
        #expect(try JSONReader.parseValue("[true]") == .array([.bool(true)]))
    }

    @Test func parseDocumentRequiresAnObject() {
        #expect(throws: JSONError(offset: 0, message: "expected a JSON object at byte 0, found character '['")) {
            try JSONReader.parseDocument("[1]")
        }
    }

    @Test func extendedJSONIsNotInterpreted() throws {
        let doc = try JSONReader.parseDocument(#"{"_id":{"$oid":"507f1f77bcf86cd799439011"},"d":{"$date":"2024-01-01T00:00:00Z"}}"#)
        #expect(doc["_id"] == .document(["$oid": .string("507f1f77bcf86cd799439011")]))
        #expect(doc["d"] == .document(["$date": .string("2024-01-01T00:00:00Z")]))
    }

    @Test func unsafeBufferEntryPoint() throws {
        let bytes = Array(#"{"a":1}"#.utf8)
        let doc = try bytes.withUnsafeBytes { buffer in try JSONReader.parseDocument(buffer) }
        #expect(doc == ["a": .int32(1)])
    }
}

@Suite struct JSONReaderNumberTests {
    @Test(arguments: [
        ("0", BSON.int32(0)),
        ("-0", .int32(0)),
        ("7", .int32(7)),
        ("2147483647", .int32(Int32.max)),
        ("-2147483648", .int32(Int32.min)),
        ("2147483648", .int64(2_147_483_648)),
        ("-2147483649", .int64(-2_147_483_649)),
        ("9223372036854775807", .int64(Int64.max)),
        ("-9223372036854775808", .int64(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808.0)),
        ("-9223372036854775809", .double(-9_223_372_036_854_775_809.0)),
        ("18446744073709551616", .double(18_446_744_073_709_551_616.0)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ("1.0", .double(1.0)),
        ("-0.5", .double(-0.5)),
        ("1e2", .double(100)),
        ("1E2", .double(100)),
        ("1e+2", .double(100)),
        ("25e-1", .double(2.5)),
        ("0.1", .double(0.1)),
        ("1.7976931348623157e308", .double(Double.greatestFiniteMagnitude)),
        ("5e-324", .double(Double.leastNonzeroMagnitude)),
        ("1e-400", .double(0)),
    ])
    func numbers(text: String, expected: BSON) throws {
        #expect(try JSONReader.parseValue(text) == expected)
    }

    @Test func negativeZeroDoubleKeepsItsSign() throws {
        guard case .double(let d) = try JSONReader.parseValue("-0.0") else {
            Issue.record("not a double")
            return
        }
        #expect(d == 0 && d.sign == .minus)
    }

    @Test(arguments: ["01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.e5", "NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
    func invalidNumbers(text: String) {
        #expect(jsonError(text) != nil)
    }

    @Test func numberErrorMessages() {
        #expect(jsonError("[01]") == JSONError(offset: 1, message: "number with a leading zero at byte 1"))
        #expect(jsonError("1.x") == JSONError(offset: 2, message: "expected a digit after '.' at byte 2, found character 'x'"))
        #expect(jsonError("1e400") == JSONError(offset: 0, message: "number out of range at byte 0"))
        #expect(jsonError("NaN") == JSONError(offset: 0, message: "unexpected character 'N' at byte 0"))
    }
}

@Suite struct JSONReaderStringTests {
    @Test func simpleEscapes() throws {
        let value = try JSONReader.parseValue(#""q\" b\\ s\/ \b\f\n\r\t""#)
        #expect(value == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t"))
    }

    @Test func unicodeEscapes() throws {
        #expect(try JSONReader.parseValue(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try JSONReader.parseValue(#""caf\u00E9!""#) == .string("café!"))
    }

    @Test func surrogatePairEscapes() throws {
        #expect(try JSONReader.parseValue(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONReader.parseValue(#""a\uD834\uDD1Eb""#) == .string("a𝄞b"))
        #expect(try JSONReader.parseValue(#""\udbff\udfff""#) == .string("\u{10FFFF}"))
    }

    @Test func rawNonASCIIUTF8() throws {
        let doc = try JSONReader.parseDocument(#"{"名前":"Zürich 😀 ∑","emoji😀":"ok"}"#)
        #expect(doc["名前"] == .string("Zürich 😀 ∑"))
        #expect(doc["emoji😀"] == .string("ok"))
    }

    @Test func nulIsAllowedInStringValues() throws {
        #expect(try JSONReader.parseValue(#""a\u0000b""#) == .string("a\u{0}b"))
    }

    @Test func escapedKeys() throws {
        let doc = try JSONReader.parseDocument(#"{"a\"b":1,"\u00e9":2,"x\ny":3}"#)
        #expect(doc.keys == ["a\"b", "é", "x\ny"])
    }

    @Test func longStringsWithEscapesAcrossManyMembers() throws {
        // Exercises the scratch buffer being reused between strings.
        let doc = try JSONReader.parseDocument(#"{"k1":"first\tvalue","k2":"plain","k3":"\u00fcber long \"quoted\" text","k4":"\n"}"#)
        #expect(doc["k1"] == .string("first\tvalue"))
        #expect(doc["k2"] == .string("plain"))
        #expect(doc["k3"] == .string("über long \"quoted\" text"))
        #expect(doc["k4"] == .string("\n"))
    }
}
