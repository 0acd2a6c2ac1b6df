import PMBSON
import PMPolicy
import Testing
@testable import PermissionMongo

@Suite("Hidden fields (deny_read)")
struct HiddenFieldsTests {
    private func document(_ json: String) throws -> BSONDocument {
        try JSONReader.parseDocument(Array(json.utf8))
    }

    private func json(_ document: BSONDocument) -> String {
        var bytes: [UInt8] = []
        JSONWriter.write(document, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func normalisesPathsInsideOthersAway() {
        #expect(HiddenFields(["dims.w", "dims", "salary"]).dotted == ["dims", "salary"])
        #expect(HiddenFields(["b", "a.c", "a.b"]) == HiddenFields(["a.b", "a.c", "b"]))
        #expect(HiddenFields([]).isEmpty)
    }

    @Test func removesTopLevelNestedAndArrayItemFields() throws {
        var stored = try document(#"""
            {"name":"x","salary":5,"dims":{"w":1,"h":2},"lines":[{"sku":"a","cost":1},{"sku":"b","cost":2},3],
             "grid":[[{"cost":1,"k":1}]]}
            """#)
        HiddenFields(["salary", "dims.w", "lines.cost", "grid.cost", "absent.field"]).remove(from: &stored)
        #expect(json(stored) == #"{"name":"x","dims":{"h":2},"lines":[{"sku":"a"},{"sku":"b"},3],"grid":[[{"k":1}]]}"#)
    }

    @Test func removingAPathThroughAScalarLeavesItAlone() throws {
        var stored = try document(#"{"dims":5,"name":"x"}"#)
        HiddenFields(["dims.w"]).remove(from: &stored)
        #expect(json(stored) == #"{"dims":5,"name":"x"}"#)
    }

    @Test func intersectionKeepsWhatBothHide() {
        #expect(HiddenFields(["salary", "cost"]).intersection(HiddenFields(["salary"])).dotted == ["salary"])
        #expect(HiddenFields(["salary"]).intersection(HiddenFields(["cost"])).isEmpty)
        // Hiding `dims` and hiding `dims.w`: only `dims.w` is hidden by both.
        #expect(HiddenFields(["dims"]).intersection(HiddenFields(["dims.w"])).dotted == ["dims.w"])
        #expect(HiddenFields(["dims.w"]).intersection(HiddenFields(["dims"])).dotted == ["dims.w"])
        #expect(HiddenFields(["a", "b.c"]).union(HiddenFields(["b"])).dotted == ["a", "b"])
    }

    @Test func aFilterPathRevealsItsParentsChildrenAndItself() {
        let hidden = HiddenFields(["a.b", "salary"])
        #expect(hidden.revealed(by: "salary") == "salary")
        #expect(hidden.revealed(by: "a") == "a.b")
        #expect(hidden.revealed(by: "a.b") == "a.b")
        #expect(hidden.revealed(by: "a.b.c") == "a.b")
        #expect(hidden.revealed(by: "a.0.b") == "a.b")
        #expect(hidden.revealed(by: "a.c") == nil)
        #expect(hidden.revealed(by: "salaryx") == nil)
        #expect(hidden.revealed(by: "name") == nil)
    }

    @Test func insideGivesRelativePaths() {
        #expect(HiddenFields(["dims.w", "lines.cost", "x"]).inside(["dims"]).dotted == ["w"])
        #expect(HiddenFields(["dims"]).inside(["dims"]).isEmpty)
    }

    private func refusal(_ filter: String, hidden: [String]) throws -> String? {
        do {
            try HiddenFieldFilter(hidden: HiddenFields(hidden)).check(filter: try document(filter))
            return nil
        } catch DomainError.forbidden(let message) {
            return message
        }
    }

    @Test func filtersNamingAHiddenFieldAreRefusedAtAnyDepth() throws {
        let hidden = ["salary", "dims.w", "lines.cost"]
        #expect(try refusal(#"{"salary":5}"#, hidden: hidden) == "the caller may not filter on salary: it is hidden from the caller")
        #expect(try refusal(#"{"name":"x","$or":[{"a":1},{"salary":{"$gt":1}}]}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"$and":[{"$nor":[{"dims.w":1}]}]}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"dims":{"w":1,"h":2}}"#, hidden: hidden) == "the caller may not filter on dims: dims.w is hidden from the caller")
        #expect(try refusal(#"{"dims.w.x":1}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"lines":{"$elemMatch":{"cost":{"$gt":1}}}}"#, hidden: hidden) == "the caller may not filter on lines.cost: it is hidden from the caller")
        #expect(try refusal(#"{"lines":{"$all":[{"$elemMatch":{"cost":1}}]}}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"lines":{"$size":2}}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"salary":{"$not":{"$gt":1}}}"#, hidden: hidden) != nil)
        #expect(try refusal(#"{"lines.1.cost":1}"#, hidden: hidden) != nil)
    }

    @Test func filtersOnOtherFieldsPass() throws {
        let hidden = ["salary", "dims.w", "lines.cost"]
        #expect(try refusal(#"{"name":"x","dims.h":{"$gt":1}}"#, hidden: hidden) == nil)
        #expect(try refusal(#"{"lines":{"$elemMatch":{"sku":"a"}}}"#, hidden: hidden) == nil)
        #expect(try refusal(#"{"$or":[{"name":"a"},{"lines.sku":"b"}]}"#, hidden: hidden) == nil)
        #expect(try refusal(#"{"salary":5}"#, hidden: []) == nil)
    }

    @Test func sortOnAHiddenFieldIsRefused() throws {
        let check = HiddenFieldFilter(hidden: HiddenFields(["salary"]))
        #expect(throws: DomainError.self) { try check.check(sort: BSONDocument(["name": .int32(1), "salary": .int32(-1)])) }
        try check.check(sort: BSONDocument(["name": .int32(1)]))
    }
}

@Suite("Read visibility (deny_read over grants)")
struct ReadVisibilityTests {
    private let user = PolicyUser(id: "u1", tenantId: "t", roles: [])

    private func grant(_ role: String, when: String? = nil, hides: [String]) throws -> Grant {
        Grant(role: role, when: try when.map(PolicyExpression.parse), denyRead: hides)
    }

    private let mine = BSONDocument(["owner": .string("u1"), "salary": .int32(1), "cost": .int32(2)])
    private let theirs = BSONDocument(["owner": .string("u2"), "salary": .int32(1), "cost": .int32(2)])

    @Test func nothingHiddenWithoutDenyRead() throws {
        let visibility = ReadVisibility(readGrants: [try grant("a", hides: [])], otherGrants: [], user: user)
        #expect(visibility.hidesNothing)
        #expect(visibility.redacted(mine) == mine)
    }

    @Test func aFieldIsShownWhenOneUnconditionalGrantShowsIt() throws {
        let visibility = ReadVisibility(
            readGrants: [try grant("a", hides: ["salary"]), try grant("b", hides: [])], otherGrants: [], user: user)
        #expect(visibility.hidesNothing)
        #expect(visibility.refused.isEmpty)
    }

    @Test func aFieldEveryGrantHidesIsHidden() throws {
        let visibility = ReadVisibility(
            readGrants: [try grant("a", hides: ["salary", "cost"]), try grant("b", hides: ["salary"])],
            otherGrants: [], user: user)
        #expect(visibility.redacted(mine).keys == ["owner", "cost"])
        #expect(visibility.refused.dotted == ["salary"])
    }

    @Test func conditionalGrantsDecidePerDocument() throws {
        // The owner sees the salary; everyone else reads through a grant that hides it.
        let visibility = ReadVisibility(
            readGrants: [try grant("own", when: "doc.owner == user.id", hides: []), try grant("all", hides: ["salary"])],
            otherGrants: [], user: user)
        #expect(visibility.redacted(mine).keys == ["owner", "salary", "cost"])
        #expect(visibility.redacted(theirs).keys == ["owner", "cost"])
        #expect(visibility.refused.dotted == ["salary"])
    }

    @Test func onlyConditionalGrants() throws {
        let visibility = ReadVisibility(
            readGrants: [
                try grant("own", when: "doc.owner == user.id", hides: ["cost"]),
                try grant("other", when: "doc.owner != user.id", hides: ["salary"]),
            ],
            otherGrants: [], user: user)
        #expect(visibility.redacted(mine).keys == ["owner", "salary"])
        #expect(visibility.redacted(theirs).keys == ["owner", "cost"])
        // A document no grant matches (a saved state) hides everything any grant hides.
        #expect(visibility.refused.dotted == ["cost", "salary"])
    }

    @Test func withoutReadGrantsEveryHiddenFieldOfTheCallersGrantsIsHidden() throws {
        let visibility = ReadVisibility(
            readGrants: [], otherGrants: [try grant("w", hides: ["salary"]), try grant("x", hides: ["cost"])], user: user)
        #expect(visibility.redacted(mine).keys == ["owner"])
    }
}
