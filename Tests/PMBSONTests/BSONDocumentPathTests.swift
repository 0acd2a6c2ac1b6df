import Testing
@testable import PMBSON

@Suite struct BSONDocumentPathTests {
    static let doc: BSONDocument = [
        "name": "Widget",
        "dims": ["w": 1.5, "inner": ["deep": true]],
        "tags": ["a", "b", ["k": "v"]],
        "matrix": [[1, 2], [3, 4]],
        "dotted.key": 7,
        "": "empty",
    ]

    @Test func topLevelAndNested() {
        #expect(Self.doc.value(atPath: "name") == "Widget")
        #expect(Self.doc.value(atPath: "dims.w") == .double(1.5))
        #expect(Self.doc.value(atPath: "dims.inner.deep") == .bool(true))
        #expect(Self.doc.value(atPath: "dims") == ["w": 1.5, "inner": ["deep": true]])
    }

    @Test func arrayIndexes() {
        #expect(Self.doc.value(atPath: "tags.0") == "a")
        #expect(Self.doc.value(atPath: "tags.2.k") == "v")
        #expect(Self.doc.value(atPath: "matrix.1.0") == .int32(3))
        #expect(Self.doc.value(atPath: "tags.3") == nil)
        #expect(Self.doc.value(atPath: "tags.-1") == nil)
        #expect(Self.doc.value(atPath: "tags.01") == nil)
        #expect(Self.doc.value(atPath: "tags.+1") == nil)
        #expect(Self.doc.value(atPath: "tags.k") == nil)
        #expect(Self.doc.value(atPath: "tags.99999999999999999999999") == nil)
    }

    @Test func missingOrThroughScalars() {
        #expect(Self.doc.value(atPath: "nope") == nil)
        #expect(Self.doc.value(atPath: "name.length") == nil)
        #expect(Self.doc.value(atPath: "dims.h") == nil)
        #expect(Self.doc.value(atPath: "dotted.key") == nil)  // dots always separate
        #expect(Self.doc.value(atPath: "dims.") == nil)
        #expect(Self.doc.value(atPath: "") == "empty")
    }

    @Test func substringPathsAndKeyHelpers() {
        let path = "xdims.wx".dropFirst().dropLast()
        #expect(Self.doc.value(atPath: path) == .double(1.5))
        #expect(Self.doc.value(forKey: "name"[...]) == "Widget")
        #expect(Self.doc.contains(key: "dims"))
        #expect(!Self.doc.contains(key: "w"))
    }
}
