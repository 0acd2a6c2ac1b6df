import Testing
@testable import PMBSON

/// `JSONReader.transcodeDocument` against `JSONReader.parseDocument(x).encoded()`:
/// the same bytes for every accepted input, the same error for every rejected one.
@Suite struct JSONTranscoderTests {
    static let reference = #"{"name":"Widget 00042","sku":"WID-42","price":42.99,"qty":42,"category":"gizmos","tags":["blue","steel","sale"],"dims":{"w":10.5,"h":2.25,"d":4},"supplier":{"name":"Acme Supplies","country":"DE"},"released":"2024-03-01T12:00:00Z","rating":4.5,"active":true,"group":42,"notes":"Standard widget, ships in two days. Keep dry."}"#

    /// `transcodeDocument` on the bytes of `input`.
    static func transcode(_ input: [UInt8], into out: inout [UInt8], maxDepth: Int = 64) throws(JSONError) {
        let result = input.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try JSONReader.transcodeDocument(buffer, into: &out, maxDepth: maxDepth) }
        }
        try result.get()
    }

    /// Nil when the transcoder agrees with the reader on `input`, else what
    /// differs; and whether the reader accepts it. `out` starts with `prefix`,
    /// which must be kept (and be all of `out` after an error).
    static func compare(_ input: [UInt8], maxDepth: Int = 64, prefix: [UInt8] = []) -> (mismatch: String?, accepted: Bool) {
        let expected: Result<[UInt8], JSONError>
        do {
            expected = .success(prefix + (try JSONReader.parseDocument(input, maxDepth: maxDepth)).encoded())
        } catch {
            expected = .failure(error)
        }
        var out = prefix
        let actual: Result<[UInt8], JSONError>
        do {
            try Self.transcode(input, into: &out, maxDepth: maxDepth)
            actual = .success(out)
        } catch {
            actual = .failure(error)
        }
        switch (expected, actual) {
        case (.success(let e), .success(let a)):
            return (e == a ? nil : "bytes differ: expected \(e), got \(a)", true)
        case (.failure(let e), .failure(let a)):
            if e != a { return ("errors differ: expected \(e.offset) \(e.message), got \(a.offset) \(a.message)", false) }
            return (out == prefix ? nil : "out changed on error: \(out)", false)
        case (.success, .failure(let a)):
            return ("reader accepts, transcoder throws \(a.offset) \(a.message)", true)
        case (.failure(let e), .success):
            return ("reader throws \(e.offset) \(e.message), transcoder accepts", false)
        }
    }

    @Test func corpusFromTheReaderTests() {
        let cases = JSONCorpus.cases
        var accepted = 0
        for item in cases {
            let (mismatch, isAccepted) = Self.compare(item.bytes, maxDepth: item.maxDepth, prefix: [0xAB, 0xCD])
            #expect(mismatch == nil, "\(item)")
            if isAccepted { accepted += 1 }
        }
        // The corpus holds both kinds in numbers.
        #expect(accepted > 60)
        #expect(cases.count - accepted > 300)
    }

    /// Seconds of work in a debug build: it yields now and then, so that it does not hold one
    /// of the test process's few cooperative threads (as many as cores) from every other test.
    @Test func randomTextsAndCorruptions() async {
        var generator = JSONRandomText(seed: 0x5EED_0F_7E57)
        var accepted = 0
        var rejected = 0
        var failures: [String] = []
        for n in 0..<24_000 {
            if n % 100 == 0 { await Task.yield() }
            var text = generator.document(maxNesting: generator.rng.next() % 8 == 0 ? 7 : 3)
            if n % 5 >= 3 { text = generator.corrupt(text) }
            let maxDepth = n % 11 == 0 ? 1 + Int(generator.rng.next() % 5) : 64
            let prefix: [UInt8] = n % 3 == 0 ? [] : Array(repeating: 0xEE, count: n % 7)
            let (mismatch, isAccepted) = Self.compare(text, maxDepth: maxDepth, prefix: prefix)
            if let mismatch { failures.append("case \(n) \(JSONCorpus.Case(bytes: text, maxDepth: maxDepth)): \(mismatch)") }
            if isAccepted { accepted += 1 } else { rejected += 1 }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(3))")
        // Both outcomes are well represented.
        #expect(accepted > 5_000)
        #expect(rejected > 5_000)
    }

    @Test func referenceDocumentRoundTrips() throws {
        let input = Array(Self.reference.utf8)
        var out: [UInt8] = []
        try Self.transcode(input, into: &out)
        let model = try JSONReader.parseDocument(input)
        #expect(out == model.encoded())
        let decoded = try BSONDocument(bsonBytes: out)
        #expect(decoded == model)
        #expect(decoded["price"] == .double(42.99))
        #expect(decoded["qty"] == .int32(42))
        #expect(decoded["tags"] == .array(["blue", "steel", "sale"]))
        #expect(decoded["dims"] == .document(["w": .double(10.5), "h": .double(2.25), "d": .int32(4)]))
        #expect(decoded.jsonString == Self.reference)
    }

    @Test func appendsAfterWhatOutHolds() throws {
        let first = Array(#"{"a":1}"#.utf8)
        let second = Array(#"{"b":[true,"x"]}"#.utf8)
        var out: [UInt8] = [1, 2, 3]
        try Self.transcode(first, into: &out)
        try Self.transcode(second, into: &out)
        let expected = [1, 2, 3] + (try JSONReader.parseDocument(first)).encoded() + (try JSONReader.parseDocument(second)).encoded()
        #expect(out == expected)
    }

    @Test func errorLeavesOutUntouched() {
        let broken = Array(#"{"a":[1,2,{"b":"#.utf8)
        var out: [UInt8] = [9, 9]
        #expect(throws: JSONError(offset: 15, message: "unexpected end of input at byte 15")) {
            try Self.transcode(broken, into: &out)
        }
        #expect(out == [9, 9])
    }

    @Test func largeDocumentsGrowTheBuffer() throws {
        // Small numbers in arrays take several times their JSON size in BSON.
        let text = "{\"a\":[" + (0..<5_000).map { _ in "0" }.joined(separator: ",") + "],\"s\":\"" + String(repeating: "x", count: 70_000) + "\"}"
        let result = Self.compare(Array(text.utf8))
        #expect(result.mismatch == nil)
        #expect(result.accepted)
    }
}
