import Testing
@testable import PMBSON

/// MongoDB treats "é" (U+00E9) and "e\u{301}" as different field names;
/// so must we, although Swift's String == calls them equal.
@Suite struct BSONKeyComparisonTests {
    @Test func canonicallyEquivalentKeysAreDistinctInJSON() throws {
        let doc = try JSONReader.parseDocument(#"{"e\u0301":1,"\u00e9":2}"#)
        #expect(doc.count == 2)
        #expect(doc["é"] == .int32(2))
        #expect(doc["e\u{301}"] == .int32(1))
        #expect(doc.value(atPath: "é") == .int32(2))
        #expect(doc.contains(key: "e\u{301}"))
    }

    @Test func canonicallyEquivalentKeysAreDistinctInLargeObjects() throws {
        // Past the linear-scan limit the duplicate check uses a set.
        let filler = (0..<40).map { "\"f\($0)\":0" }.joined(separator: ",")
        let doc = try JSONReader.parseDocument("{" + filler + #","e\u0301":1,"\u00e9":2}"#)
        #expect(doc.count == 42)
        #expect(jsonError("{" + filler + #","\u00e9":1,"é":2}"#)?.message.hasPrefix(#"duplicate key "é""#) == true)
    }

    @Test func subscriptSetterMatchesBytes() {
        var doc: BSONDocument = ["e\u{301}": 1]
        doc["é"] = 2
        #expect(doc.keys.map { Array($0.utf8) } == [Array("e\u{301}".utf8), Array("é".utf8)])
        doc["é"] = nil
        #expect(doc.count == 1)
    }
}
