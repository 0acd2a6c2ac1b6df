import Testing
@testable import PMBSON

@Suite struct JSONWriterTests {
    @Test func scalars() {
        #expect(BSON.int32(-7).jsonString == "-7")
        #expect(BSON.int32(Int32.min).jsonString == "-2147483648")
        #expect(BSON.int64(Int64.min).jsonString == "-9223372036854775808")
        #expect(BSON.int64(Int64.max).jsonString == "9223372036854775807")
        #expect(BSON.bool(true).jsonString == "true")
        #expect(BSON.bool(false).jsonString == "false")
        #expect(BSON.null.jsonString == "null")
        #expect(BSON.minKey.jsonString == "null")
        #expect(BSON.maxKey.jsonString == "null")
        #expect(BSON.undefined.jsonString == "null")
    }

    @Test func doubles() {
        #expect(BSON.double(10).jsonString == "10.0")
        #expect(BSON.double(1.5).jsonString == "1.5")
        #expect(BSON.double(0.1).jsonString == "0.1")
        #expect(BSON.double(-0.0).jsonString == "-0.0")
        #expect(BSON.double(1e16).jsonString == "1e+16")
        #expect(BSON.double(1e-7).jsonString == "1e-07")
        #expect(BSON.double(.nan).jsonString == "null")
        #expect(BSON.double(.infinity).jsonString == "null")
        #expect(BSON.double(-.infinity).jsonString == "null")
    }

    @Test(arguments: [0.1, 1.0 / 3.0, 123456.789, 1e300, Double.leastNonzeroMagnitude, -2.5e-8, 9007199254740993.0, Double.greatestFiniteMagnitude])
    func doublesRoundTripExactly(value: Double) throws {
        #expect(try JSONReader.parseValue(BSON.double(value).jsonString) == .double(value))
    }

    @Test func stringEscaping() {
        #expect(BSON.string("a\"b\\c").jsonString == #""a\"b\\c""#)
        #expect(BSON.string("\n\r\t\u{08}\u{0C}").jsonString == #""\n\r\t\b\f""#)
        #expect(BSON.string("\u{0}\u{1}\u{1F}").jsonString == #""\u0000\u0001\u001f""#)
        #expect(BSON.string("/ é 😀 \u{2028}").jsonString == "\"/ é 😀 \u{2028}\"")
        #expect(BSON.string("").jsonString == #""""#)
    }

    @Test func documentsAndArrays() {
        let doc: BSONDocument = ["a": 1, "b": ["x", 2.5, ["c": .null]], "k\"ey": .document(BSONDocument())]
        #expect(doc.jsonString == #"{"a":1,"b":["x",2.5,{"c":null}],"k\"ey":{}}"#)
        #expect(BSON.array([]).jsonString == "[]")
    }

    @Test func objectIdsAndDates() {
        let id = ObjectId(hex: "507F1F77BCF86CD799439011")!
        let doc: BSONDocument = [
            "_id": .objectId(id),
            "created_at": .date(BSONDate(millisecondsSince1970: 1_704_164_645_678)),
            "epoch": .date(BSONDate(millisecondsSince1970: 0)),
            "before": .date(BSONDate(millisecondsSince1970: -1)),
        ]
        #expect(doc.jsonString == #"{"_id":"507f1f77bcf86cd799439011","created_at":"2024-01-02T03:04:05.678Z","epoch":"1970-01-01T00:00:00.000Z","before":"1969-12-31T23:59:59.999Z"}"#)
    }

    @Test func binaryAsBase64() {
        #expect(BSON.binary(subtype: 0, data: []).jsonString == #""""#)
        #expect(BSON.binary(subtype: 0, data: Array("f".utf8)).jsonString == #""Zg==""#)
        #expect(BSON.binary(subtype: 0, data: Array("fo".utf8)).jsonString == #""Zm8=""#)
        #expect(BSON.binary(subtype: 4, data: Array("foobar".utf8)).jsonString == #""Zm9vYmFy""#)
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
    }

    @Test func regexTimestampDecimal() {
        #expect(BSON.regex(pattern: "^a\"b", options: "i").jsonString == #"{"$regex":"^a\"b","$options":"i"}"#)
        #expect(BSON.timestamp(increment: 7, seconds: 1_700_000_000).jsonString == #"{"t":1700000000,"i":7}"#)
        #expect(BSON.decimal128(low: 150, high: 0x303C_0000_0000_0000).jsonString == #""1.50""#)
    }

    @Test func jsonRoundTripOfEveryJSONType() throws {
        let text = #"{"s":"a\"\\\n\u0001é😀","i":-5,"l":9007199254740993,"d":2.5,"z":10.0,"t":true,"f":false,"n":null,"a":[1,[2,{}],[]],"o":{"p":{"q":"r"}}}"#
        let doc = try JSONReader.parseDocument(text)
        #expect(doc.jsonString == text)
        #expect(try JSONReader.parseDocument(doc.jsonBytes) == doc)
    }

    @Test func appendsToExistingBuffer() {
        var out = Array("prefix:".utf8)
        JSONWriter.write(["a": 1] as BSONDocument, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix:{"a":1}"#)
    }
}
