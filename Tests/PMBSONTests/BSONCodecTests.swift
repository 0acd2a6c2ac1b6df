import Testing
@testable import PMBSON

@Suite struct BSONEncodingLayoutTests {
    @Test func helloWorld() {
        let doc: BSONDocument = ["hello": "world"]
        #expect(doc.encoded() == Array("\u{16}\u{0}\u{0}\u{0}\u{2}hello\u{0}\u{6}\u{0}\u{0}\u{0}world\u{0}\u{0}".utf8))
    }

    @Test func bsonSpecArrayExample() {
        // {"BSON": ["awesome", 5.05, 1986]} from bsonspec.org
        let doc: BSONDocument = ["BSON": ["awesome", 5.05, 1986]]
        let expected = hexBytes("31 00 00 00 04 42 53 4f 4e 00 26 00 00 00 02 30 00 08 00 00 00 61 77 65 73 6f 6d 65 00 01 31 00 33 33 33 33 33 33 14 40 10 32 00 c2 07 00 00 00 00")
        #expect(doc.encoded() == expected)
    }

    @Test func emptyDocument() {
        #expect(BSONDocument().encoded() == [5, 0, 0, 0, 0])
    }

    @Test func scalarLayouts() {
        func body(_ value: BSON) -> [UInt8] {
            // Bytes of {"a": value} after the type byte and key.
            let bytes = (["a": value] as BSONDocument).encoded()
            #expect(bytes[4] == value.typeCode)
            return Array(bytes[7..<(bytes.count - 1)])
        }
        #expect(body(.int32(1)) == [1, 0, 0, 0])
        #expect(body(.int32(-2)) == [0xFE, 0xFF, 0xFF, 0xFF])
        #expect(body(.int64(0x0102_0304_0506_0708)) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(body(.double(1.0)) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(body(.bool(true)) == [1])
        #expect(body(.bool(false)) == [0])
        #expect(body(.null) == [])
        #expect(body(.minKey) == [])
        #expect(body(.date(BSONDate(millisecondsSince1970: -1))) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(body(.objectId(ObjectId(hex: "0102030405060708090a0b0c")!)) == Array(1...12))
        #expect(body(.binary(subtype: 4, data: [0xAA, 0xBB])) == [2, 0, 0, 0, 4, 0xAA, 0xBB])
        #expect(body(.regex(pattern: "^x", options: "im")) == Array("^x\u{0}im\u{0}".utf8))
        #expect(body(.timestamp(increment: 1, seconds: 2)) == [1, 0, 0, 0, 2, 0, 0, 0])
        #expect(body(.decimal128(low: 1, high: 0x3040_0000_0000_0000)) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x30])
        #expect(body(.string("")) == [1, 0, 0, 0, 0])
        #expect(body(.string("é")) == [3, 0, 0, 0, 0xC3, 0xA9, 0])
    }

    @Test func typeCodes() {
        #expect(BSON.minKey.typeCode == 0xFF)
        #expect(BSON.maxKey.typeCode == 0x7F)
        #expect(BSON.decimal128(low: 0, high: 0).typeCode == 0x13)
        #expect(BSON.undefined.typeCode == 0x06)
    }

    @Test func encodeAppendsAfterExistingBytes() throws {
        var out: [UInt8] = [0xAA]
        (["x": 1] as BSONDocument).encode(into: &out)
        #expect(out.first == 0xAA)
        #expect(try BSONDocument(bsonBytes: Array(out.dropFirst())) == ["x": 1])
    }

    @Test func nulInKeyIsCutAtTheNul() throws {
        let doc = BSONDocument(elements: [.init(key: "a\u{0}b", value: 1)])
        #expect(try BSONDocument(bsonBytes: doc.encoded()) == ["a": 1])
    }
}

@Suite struct BSONRoundTripTests {
    static let everyCase: BSONDocument = [
        "double": .double(-1.25),
        "nan": .double(.infinity),
        "string": "héllo \u{0} wörld 😀",
        "document": ["nested": ["deeper": 1]],
        "array": [1, "two", ["three": 3.0], [], [[]]],
        "binary": .binary(subtype: 0x80, data: [0, 1, 2, 255]),
        "emptyBinary": .binary(subtype: 0, data: []),
        "objectId": .objectId(ObjectId(hex: "507f1f77bcf86cd799439011")!),
        "true": true,
        "false": false,
        "date": .date(BSONDate(millisecondsSince1970: 1_704_164_645_678)),
        "oldDate": .date(BSONDate(millisecondsSince1970: Int64.min)),
        "null": .null,
        "regex": .regex(pattern: "^[a-z]+$", options: "ix"),
        "int32": .int32(Int32.min),
        "timestamp": .timestamp(increment: 0xFFFF_FFFF, seconds: 1_700_000_000),
        "int64": .int64(Int64.max),
        "decimal128": .decimal128(low: 0x378D_8E63_FFFF_FFFF, high: 0x3041_ED09_BEAD_87C0),
        "minKey": .minKey,
        "maxKey": .maxKey,
        "undefined": .undefined,
        "": "empty key",
    ]

    @Test func everyCaseRoundTrips() throws {
        let bytes = Self.everyCase.encoded()
        let decoded = try BSONDocument(bsonBytes: bytes)
        #expect(decoded == Self.everyCase)
        #expect(decoded.keys == Self.everyCase.keys)
        #expect(decoded.encoded() == bytes)
    }

    @Test func nanDoubleRoundTripsBitForBit() throws {
        let nan = Double(nan: 0x1234, signaling: false)
        let decoded = try BSONDocument(bsonBytes: (["n": .double(nan)] as BSONDocument).encoded())
        guard case .double(let d) = decoded["n"] else {
            Issue.record("not a double")
            return
        }
        #expect(d.bitPattern == nan.bitPattern)
    }

    @Test func unsafeBufferEntryPoint() throws {
        let bytes = Self.everyCase.encoded()
        let decoded = try bytes.withUnsafeBytes { try BSONDocument(bsonBytes: $0) }
        #expect(decoded == Self.everyCase)
    }

    @Test func jsonToBSONAndBack() throws {
        let json = #"{"name":"Widget","price":9.99,"qty":3,"big":5000000000,"tags":["a","b"],"dims":{"w":1.5},"active":true,"note":null}"#
        let doc = try JSONReader.parseDocument(json)
        let decoded = try BSONDocument(bsonBytes: doc.encoded())
        #expect(decoded.jsonString == json)
    }

    @Test func symbolDecodesAsString() throws {
        // {"s": Symbol("ab")}
        let bytes = hexBytes("0f 00 00 00 0e 73 00 03 00 00 00 61 62 00 00")
        #expect(try BSONDocument(bsonBytes: bytes) == ["s": "ab"])
    }

    @Test func arrayKeysAreNotTrusted() throws {
        // Arrays with non-sequential keys still decode in byte order.
        let bytes = hexBytes("14 00 00 00 04 61 00 0c 00 00 00 10 39 00 07 00 00 00 00 00")
        #expect(try BSONDocument(bsonBytes: bytes) == ["a": [7]])
    }
}

@Suite struct BSONMalformedInputTests {
    static let valid: [UInt8] = (["hello": "world"] as BSONDocument).encoded()

    @Test func emptyAndTiny() {
        #expect(bsonError([]) == BSONDecodingError(offset: 0, message: "truncated document length at byte 0"))
        #expect(bsonError([5, 0, 0]) != nil)
        #expect(bsonError([4, 0, 0, 0]) == BSONDecodingError(offset: 0, message: "invalid document length 4 at byte 0"))
        #expect(bsonError([5, 0, 0, 0, 0]) == nil)
    }

    @Test func everyTruncationThrows() {
        for n in 0..<Self.valid.count {
            #expect(bsonError(Array(Self.valid.prefix(n))) != nil, "prefix \(n)")
        }
    }

    @Test func badLengths() {
        var tooLong = Self.valid
        tooLong[0] = 0x17
        #expect(bsonError(tooLong) == BSONDecodingError(offset: 0, message: "document length 23 at byte 0 exceeds the 22 bytes available"))
        var negative = Self.valid
        negative[3] = 0x80
        #expect(bsonError(negative)?.message.hasPrefix("invalid document length") == true)
        var shortString = Self.valid
        shortString[11] = 0x07  // string length runs into the terminator
        #expect(bsonError(shortString) == BSONDecodingError(offset: 11, message: "invalid string length 7 at byte 11"))
        var zeroString = Self.valid
        zeroString[11] = 0
        #expect(bsonError(zeroString)?.message == "invalid string length 0 at byte 11")
    }

    @Test func trailingBytes() {
        #expect(bsonError(Self.valid + [0]) == BSONDecodingError(offset: 22, message: "1 trailing bytes after the document at byte 22"))
    }

    @Test func missingTerminators() {
        var noDocTerminator = Self.valid
        noDocTerminator[21] = 1
        #expect(bsonError(noDocTerminator) == BSONDecodingError(offset: 21, message: "document at byte 0 is missing its terminating NUL"))
        var noStringTerminator = Self.valid
        noStringTerminator[20] = 0x21
        #expect(bsonError(noStringTerminator) == BSONDecodingError(offset: 20, message: "string at byte 11 is missing its terminating NUL"))
        // Key with no NUL before the document terminator.
        let unterminatedKey = hexBytes("08 00 00 00 10 61 62 00")
        #expect(bsonError(unterminatedKey) == BSONDecodingError(offset: 5, message: "unterminated C string at byte 5"))
    }

    @Test func invalidUTF8() {
        var badString = Self.valid
        badString[15] = 0xC0
        #expect(bsonError(badString) == BSONDecodingError(offset: 15, message: "invalid UTF-8 at byte 15"))
        var badKey = Self.valid
        badKey[5] = 0xFF
        #expect(bsonError(badKey) == BSONDecodingError(offset: 5, message: "invalid UTF-8 at byte 5"))
        var surrogate = Self.valid
        surrogate.replaceSubrange(15..<18, with: [0xED, 0xA0, 0x80])
        #expect(bsonError(surrogate)?.message == "invalid UTF-8 at byte 15")
    }

    @Test func nestedDocumentOverrunningItsParent() {
        // {"a": {…}} where the inner length claims more than the outer has.
        let bytes = hexBytes("0d 00 00 00 03 61 00 09 00 00 00 00 00")
        #expect(bsonError(bytes) == BSONDecodingError(offset: 7, message: "document length 9 at byte 7 exceeds the 5 bytes available"))
    }

    @Test func badBinaryAndBool() {
        #expect(bsonError(hexBytes("0d 00 00 00 05 61 00 ff ff ff ff 00 00"))?.message == "invalid binary length -1 at byte 7")
        #expect(bsonError(hexBytes("0d 00 00 00 05 61 00 09 00 00 00 00 00"))?.message == "invalid binary length 9 at byte 7")
        #expect(bsonError(hexBytes("09 00 00 00 08 61 00 02 00")) == BSONDecodingError(offset: 7, message: "invalid boolean byte 2 at byte 7"))
        #expect(bsonError(hexBytes("0b 00 00 00 10 61 00 01 00 00 00"))?.message == "truncated int32 at byte 7")
    }

    @Test func unknownAndDeprecatedTypes() {
        #expect(bsonError(hexBytes("08 00 00 00 14 61 00 00")) == BSONDecodingError(offset: 4, message: "unknown BSON element type 0x14 at byte 4"))
        // {"c": Code("x")}
        #expect(bsonError(hexBytes("0e 00 00 00 0d 63 00 02 00 00 00 78 00 00")) == BSONDecodingError(offset: 4, message: "unsupported deprecated BSON type JavaScript code (0x0D) for key \"c\" at byte 4"))
        #expect(bsonError(hexBytes("08 00 00 00 0c 63 00 00"))?.message.contains("DBPointer") == true)
        #expect(bsonError(hexBytes("08 00 00 00 0f 63 00 00"))?.message.contains("code with scope") == true)
    }

    @Test func deepNestingIsBounded() {
        // 300 nested documents {"a": {"a": …}}.
        var bytes: [UInt8] = [5, 0, 0, 0, 0]
        for _ in 0..<300 {
            var outer: [UInt8] = [0, 0, 0, 0, 3, 0x61, 0]
            outer += bytes
            outer.append(0)
            outer.storeLittleEndian(Int32(outer.count), at: 0)
            bytes = outer
        }
        #expect(bsonError(bytes)?.message.hasPrefix("nesting deeper than 200 levels") == true)
        #expect((try? BSONDocument(bsonBytes: bytes, maxDepth: 301)) != nil)
    }

    @Test func randomCorruptionNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let valid = BSONRoundTripTests.everyCase.encoded()
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            _ = bsonError(bytes)  // must return or throw, never trap
        }
    }
}
