import PMBSON
import Testing
@testable import PermissionMongo

@Suite("VersionDiff.changes")
struct VersionDiffTests {
    @Test func reportsSetAddAndUnsetInOrder() {
        let before: BSONDocument = ["name": "a", "price": 5, "old": true, "qty": 1]
        let after: BSONDocument = ["name": "a", "price": 7, "qty": 1, "color": "red"]
        #expect(VersionDiff.changes(from: before, to: after) == [
            ["field": "price", "op": "set", "from": 5, "to": 7],
            ["field": "color", "op": "add", "to": "red"],
            ["field": "old", "op": "unset", "from": true],
        ])
    }

    @Test func identicalDocumentsHaveNoChanges() {
        let document: BSONDocument = ["a": 1, "d": ["x": [1, 2]], "n": .double(.nan)]
        #expect(VersionDiff.changes(from: document, to: document).isEmpty)
    }

    @Test func nestedDocumentsReportDottedPaths() {
        let before: BSONDocument = ["dims": ["w": 1, "h": 2, "d": ["z": 1]]]
        let after: BSONDocument = ["dims": ["w": 3, "d": ["z": 1, "y": 2], "l": 4]]
        #expect(VersionDiff.changes(from: before, to: after) == [
            ["field": "dims.w", "op": "set", "from": 1, "to": 3],
            ["field": "dims.d.y", "op": "add", "to": 2],
            ["field": "dims.l", "op": "add", "to": 4],
            ["field": "dims.h", "op": "unset", "from": 2],
        ])
    }

    @Test func arraysAndTypeChangesAreWholeValues() {
        let before: BSONDocument = ["tags": ["a", "b"], "n": 5, "d": ["x": 1], "s": "v"]
        let after: BSONDocument = ["tags": ["a", "c"], "n": 5.0, "d": "flat", "s": ["x": 1]]
        #expect(VersionDiff.changes(from: before, to: after) == [
            ["field": "tags", "op": "set", "from": ["a", "b"], "to": ["a", "c"]],
            ["field": "n", "op": "set", "from": 5, "to": 5.0],
            ["field": "d", "op": "set", "from": ["x": 1], "to": "flat"],
            ["field": "s", "op": "set", "from": "v", "to": ["x": 1]],
        ])
    }

    @Test func serverFieldsAreIncludedAndNullIsAValue() {
        let before: BSONDocument = ["updated_at": .date(BSONDate(millisecondsSince1970: 1)), "x": .null]
        let after: BSONDocument = ["updated_at": .date(BSONDate(millisecondsSince1970: 2)), "updated_by": "u1"]
        #expect(VersionDiff.changes(from: before, to: after) == [
            ["field": "updated_at", "op": "set", "from": .date(BSONDate(millisecondsSince1970: 1)),
             "to": .date(BSONDate(millisecondsSince1970: 2))],
            ["field": "updated_by", "op": "add", "to": "u1"],
            ["field": "x", "op": "unset", "from": .null],
        ])
    }

    @Test func diffOfAnAppliedUpdate() throws {
        let before: BSONDocument = ["_id": 1, "name": "a", "stock": 3, "tags": ["x"]]
        let after = try UpdateSpec(["$inc": ["stock": -1], "$push": ["tags": "y"], "$set": ["dims.w": 2]]).apply(to: before)
        #expect(VersionDiff.changes(from: before, to: after) == [
            ["field": "stock", "op": "set", "from": 3, "to": 2],
            ["field": "tags", "op": "set", "from": ["x"], "to": ["x", "y"]],
            ["field": "dims", "op": "add", "to": ["w": 2]],
        ])
    }
}
