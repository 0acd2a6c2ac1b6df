import PMBSON
import Testing
@testable import PermissionMongo

@Suite("UpdateSpec.apply: $set and $unset")
struct UpdateApplySetUnsetTests {
    typealias S = UpdateTestSupport

    @Test func setReplacesInPlaceAndAppendsNewFields() throws {
        let before: BSONDocument = ["_id": 1, "name": "a", "price": 5, "qty": 1]
        let after = try S.apply(["price": 7, "color": "red"], to: before)
        #expect(after == ["_id": 1, "name": "a", "price": 7, "qty": 1, "color": "red"])
        #expect(before == ["_id": 1, "name": "a", "price": 5, "qty": 1])  // the input is untouched
    }

    @Test func newFieldsAreAppendedInMongoPathOrder() throws {
        let after = try S.apply(["$set": ["b": 1, "a": 2, "c.y": 3, "c.x": 4]], to: ["z": 0])
        #expect(after == ["z": 0, "a": 2, "b": 1, "c": ["x": 4, "y": 3]])
        // numeric names in numeric order
        let numeric = try S.apply(["$set": ["m.10": "ten", "m.9": "nine"]], to: [:])
        #expect(numeric == ["m": ["9": "nine", "10": "ten"]])
    }

    @Test func setCreatesIntermediateDocuments() throws {
        #expect(try S.apply(["$set": ["dims.w": 3]], to: ["name": "x"]) == ["name": "x", "dims": ["w": 3]])
        #expect(try S.apply(["dims.w": 3], to: ["dims": ["h": 1, "w": 2]]) == ["dims": ["h": 1, "w": 3]])
        #expect(try S.apply(["a.b.c": true], to: ["a": ["x": 1]]) == ["a": ["x": 1, "b": ["c": true]]])
        // A numeric name under a missing field creates a document field, as MongoDB does.
        #expect(try S.apply(["$set": ["a.0": 1]], to: [:]) == ["a": ["0": 1]])
        // On a document, a numeric name is just a field name.
        #expect(try S.apply(["$set": ["a.0": 1]], to: ["a": ["x": 2]]) == ["a": ["x": 2, "0": 1]])
    }

    @Test func setReplacesWholeValues() throws {
        #expect(try S.apply(["dims": ["w": 1]], to: ["dims": ["h": 2, "w": 3]]) == ["dims": ["w": 1]])
        #expect(try S.apply(["tags": .null], to: ["tags": ["a"]]) == ["tags": .null])
    }

    @Test func setIndexesIntoArrays() throws {
        #expect(try S.apply(["$set": ["tags.1": "z"]], to: ["tags": ["a", "b", "c"]]) == ["tags": ["a", "z", "c"]])
        #expect(try S.apply(["$set": ["tags.1": "z"]], to: ["tags": ["a"]]) == ["tags": ["a", "z"]])
        #expect(try S.apply(["$set": ["lines.0.qty": 5]], to: ["lines": [["sku": "a", "qty": 1]]])
            == ["lines": [["sku": "a", "qty": 5]]])
        #expect(try S.apply(["$set": ["m.1.0": "x"]], to: ["m": [[1], [2, 3]]]) == ["m": [[1], ["x", 3]]])
    }

    @Test func setPastTheEndPadsWithNull() throws {
        #expect(try S.apply(["$set": ["tags.4": "z"]], to: ["tags": ["a"]]) == ["tags": ["a", .null, .null, .null, "z"]])
        #expect(try S.apply(["$set": ["lines.2.qty": 5]], to: ["lines": [["qty": 1]]])
            == ["lines": [["qty": 1], .null, ["qty": 5]]])
        #expect(try S.apply(["$set": ["tags.0": "z"]], to: ["tags": []]) == ["tags": ["z"]])
    }

    @Test func paddingIsCapped() {
        let error = S.applyFailure(["$set": ["tags.10002": 1]], to: ["tags": ["a"]])
        #expect(error?.message == "cannot $set tags.10002: it would pad the array tags with more than 10000 nulls")
        #expect(error?.kind == .notApplicable)
        #expect(S.applyFailure(["$set": ["tags.10001": 1]], to: ["tags": ["a"]]) == nil)
    }

    @Test func setThroughAScalarOrNamedArrayFieldFails() {
        let error = S.applyFailure(["$set": ["name.first": "x"]], to: ["name": "bob"])
        #expect(error?.message == "cannot $set name.first: name is a string, not an object")
        #expect(error?.field == "name.first")
        #expect(error?.kind == .notApplicable)
        #expect(S.applyFailure(["$set": ["a.b.c": 1]], to: ["a": ["b": .null]])?.message
            == "cannot $set a.b.c: a.b is null, not an object")
        #expect(S.applyFailure(["$set": ["tags.x": 1]], to: ["tags": ["a"]])?.message
            == "cannot $set tags.x: tags is an array and \"x\" is not an index")
        #expect(S.applyFailure(["$set": ["tags.01": 1]], to: ["tags": ["a"]])?.message
            == "cannot $set tags.01: tags is an array and \"01\" is not an index")
        #expect(S.applyFailure(["$inc": ["n.x": 1]], to: ["n": 5])?.message == "cannot $inc n.x: n is a number, not an object")
    }

    @Test func unsetRemovesFields() throws {
        #expect(try S.apply(["$unset": ["b": ""]], to: ["a": 1, "b": 2, "c": 3]) == ["a": 1, "c": 3])
        #expect(try S.apply(["$unset": ["dims.w": 1]], to: ["dims": ["w": 1, "h": 2]]) == ["dims": ["h": 2]])
        #expect(try S.apply(["$unset": ["dims.w": 1]], to: ["dims": ["w": 1]]) == ["dims": [:]])
    }

    @Test func unsetOfMissingOrUnreachableIsANoOp() throws {
        let document: BSONDocument = ["a": 1, "tags": ["x"], "s": "str"]
        #expect(try S.apply(["$unset": ["zz": ""]], to: document) == document)
        #expect(try S.apply(["$unset": ["zz.y": ""]], to: document) == document)
        #expect(try S.apply(["$unset": ["s.y": ""]], to: document) == document)
        #expect(try S.apply(["$unset": ["tags.y": ""]], to: document) == document)
        #expect(try S.apply(["$unset": ["tags.5": ""]], to: document) == document)
    }

    @Test func unsetOfAnArrayElementSetsNull() throws {
        #expect(try S.apply(["$unset": ["tags.1": ""]], to: ["tags": ["a", "b", "c"]]) == ["tags": ["a", .null, "c"]])
        #expect(try S.apply(["$unset": ["lines.0.qty": ""]], to: ["lines": [["sku": "a", "qty": 1]]])
            == ["lines": [["sku": "a"]]])
    }

    @Test func severalOperatorsApplyTogether() throws {
        let before: BSONDocument = ["name": "a", "qty": 1, "tags": ["x", "y"], "old": true]
        let after = try S.apply(
            ["$set": ["name": "b"], "$inc": ["qty": 2], "$pull": ["tags": "x"], "$unset": ["old": ""], "$push": ["log": "e"]],
            to: before)
        #expect(after == ["name": "b", "qty": 3, "tags": ["y"], "log": ["e"]])
    }
}

@Suite("UpdateSpec.apply: $inc and $mul")
struct UpdateApplyArithmeticTests {
    typealias S = UpdateTestSupport

    @Test func incAddsKeepingInt32() throws {
        #expect(try S.apply(["$inc": ["n": 2]], to: ["n": 5]) == ["n": .int32(7)])
        #expect(try S.apply(["$inc": ["n": -10]], to: ["n": 5]) == ["n": .int32(-5)])
    }

    @Test func incInt32OverflowBecomesInt64() throws {
        #expect(try S.apply(["$inc": ["n": 1]], to: ["n": .int32(Int32.max)]) == ["n": .int64(2_147_483_648)])
        #expect(try S.apply(["$inc": ["n": -1]], to: ["n": .int32(Int32.min)]) == ["n": .int64(-2_147_483_649)])
    }

    @Test func incMixedIntegersGiveInt64() throws {
        #expect(try S.apply(["$inc": ["n": .int64(1)]], to: ["n": 5]) == ["n": .int64(6)])
        #expect(try S.apply(["$inc": ["n": 1]], to: ["n": .int64(5)]) == ["n": .int64(6)])
    }

    @Test func incInt64OverflowFails() {
        let error = S.applyFailure(["$inc": ["n": 1]], to: ["n": .int64(Int64.max)])
        #expect(error?.message == "cannot $inc field n: the result overflows a 64-bit integer")
        #expect(error?.kind == .notApplicable)
    }

    @Test func incWithADoubleGivesADouble() throws {
        #expect(try S.apply(["$inc": ["n": 1.5]], to: ["n": 5]) == ["n": .double(6.5)])
        #expect(try S.apply(["$inc": ["n": 1]], to: ["n": 2.5]) == ["n": .double(3.5)])
        #expect(try S.apply(["$inc": ["n": 0.5]], to: ["n": .int64(1)]) == ["n": .double(1.5)])
    }

    @Test func incOfMissingCreatesTheOperand() throws {
        #expect(try S.apply(["$inc": ["n": .int64(3)]], to: ["a": 1]) == ["a": 1, "n": .int64(3)])
        #expect(try S.apply(["$inc": ["stats.views": 1]], to: [:]) == ["stats": ["views": 1]])
        #expect(try S.apply(["$inc": ["counts.2": 1]], to: ["counts": [5]]) == ["counts": [5, .null, 1]])
        #expect(try S.apply(["$inc": ["counts.0": 1]], to: ["counts": [5]]) == ["counts": [6]])
    }

    @Test func incOfNonNumbersFails() {
        let error = S.applyFailure(["$inc": ["name": 1]], to: ["name": "bob"])
        #expect(error?.message == "cannot $inc non-numeric field name")
        #expect(error?.field == "name")
        #expect(S.applyFailure(["$inc": ["n": 1]], to: ["n": .null])?.message == "cannot $inc non-numeric field n")
        #expect(S.applyFailure(["$inc": ["d.n": 1]], to: ["d": ["n": [1]]])?.message == "cannot $inc non-numeric field d.n")
        #expect(S.applyFailure(["$inc": ["n": 1]], to: ["n": .decimal128(low: 1, high: 0x3040_0000_0000_0000)])?.message
            == "cannot $inc non-numeric field n")
    }

    @Test func mulMultiplies() throws {
        #expect(try S.apply(["$mul": ["n": 3]], to: ["n": 5]) == ["n": .int32(15)])
        #expect(try S.apply(["$mul": ["n": 100_000]], to: ["n": 100_000]) == ["n": .int64(10_000_000_000)])
        #expect(try S.apply(["$mul": ["n": .int64(2)]], to: ["n": 5]) == ["n": .int64(10)])
        #expect(try S.apply(["$mul": ["n": 0.5]], to: ["n": 5]) == ["n": .double(2.5)])
        #expect(try S.apply(["$mul": ["n": 2]], to: ["n": 1.25]) == ["n": .double(2.5)])
    }

    @Test func mulInt64OverflowFails() {
        #expect(S.applyFailure(["$mul": ["n": 2]], to: ["n": .int64(Int64.max / 2 + 1)])?.message
            == "cannot $mul field n: the result overflows a 64-bit integer")
    }

    @Test func mulOfMissingCreatesZeroOfTheOperandType() throws {
        #expect(try S.apply(["$mul": ["n": 7]], to: [:]) == ["n": .int32(0)])
        #expect(try S.apply(["$mul": ["n": .int64(7)]], to: [:]) == ["n": .int64(0)])
        #expect(try S.apply(["$mul": ["n": 7.5]], to: [:]) == ["n": .double(0)])
        #expect(try S.apply(["$mul": ["a.b": 7]], to: [:]) == ["a": ["b": .int32(0)]])
    }

    @Test func mulOfNonNumbersFails() {
        #expect(S.applyFailure(["$mul": ["ok": 2]], to: ["ok": true])?.message == "cannot $mul non-numeric field ok")
    }
}

@Suite("UpdateSpec.apply: $min and $max")
struct UpdateApplyMinMaxTests {
    typealias S = UpdateTestSupport

    @Test func minReplacesOnlyWhenLower() throws {
        #expect(try S.apply(["$min": ["p": 3]], to: ["p": 5]) == ["p": 3])
        #expect(try S.apply(["$min": ["p": 7]], to: ["p": 5]) == ["p": 5])
        #expect(try S.apply(["$min": ["p": 4.5]], to: ["p": 5]) == ["p": 4.5])
        // equal by value, other type: unchanged
        #expect(try S.apply(["$min": ["p": 5.0]], to: ["p": 5]) == ["p": .int32(5)])
    }

    @Test func maxReplacesOnlyWhenHigher() throws {
        #expect(try S.apply(["$max": ["p": 7]], to: ["p": 5]) == ["p": 7])
        #expect(try S.apply(["$max": ["p": 3]], to: ["p": 5]) == ["p": 5])
        #expect(try S.apply(["$max": ["p": .int64(6)]], to: ["p": 5.5]) == ["p": .int64(6)])
        #expect(try S.apply(["$max": ["s": "b"]], to: ["s": "a"]) == ["s": "b"])
    }

    @Test func minAndMaxUseBSONTypeOrder() throws {
        // null < numbers < strings < objects < arrays < ... < booleans < dates
        #expect(try S.apply(["$min": ["p": .null]], to: ["p": 5]) == ["p": .null])
        #expect(try S.apply(["$max": ["p": "x"]], to: ["p": 5]) == ["p": "x"])
        #expect(try S.apply(["$min": ["p": "x"]], to: ["p": 5]) == ["p": 5])
        #expect(try S.apply(["$max": ["p": true]], to: ["p": "zzz"]) == ["p": true])
        #expect(try S.apply(["$max": ["p": 1]], to: ["p": S.date(0)]) == ["p": S.date(0)])
    }

    @Test func minAndMaxOfMissingSetTheValue() throws {
        #expect(try S.apply(["$min": ["p": 3]], to: ["a": 1]) == ["a": 1, "p": 3])
        #expect(try S.apply(["$max": ["d.p": 3]], to: [:]) == ["d": ["p": 3]])
    }
}

@Suite("UpdateSpec.apply: $push and $addToSet")
struct UpdateApplyArrayAddTests {
    typealias S = UpdateTestSupport

    @Test func pushAppends() throws {
        #expect(try S.apply(["$push": ["tags": "c"]], to: ["tags": ["a", "b"]]) == ["tags": ["a", "b", "c"]])
        #expect(try S.apply(["$push": ["tags": "a"]], to: ["tags": ["a"]]) == ["tags": ["a", "a"]])
        #expect(try S.apply(["$push": ["tags": ["x", "y"]]], to: ["tags": []]) == ["tags": [["x", "y"]]])
        #expect(try S.apply(["$push": ["lines": ["sku": "b"]]], to: ["lines": [["sku": "a"]]])
            == ["lines": [["sku": "a"], ["sku": "b"]]])
        #expect(try S.apply(["$push": ["d.tags": 1]], to: ["d": ["tags": [0]]]) == ["d": ["tags": [0, 1]]])
    }

    @Test func pushEachAppendsAll() throws {
        #expect(try S.apply(["$push": ["tags": ["$each": ["c", "d"]]]], to: ["tags": ["a"]]) == ["tags": ["a", "c", "d"]])
        #expect(try S.apply(["$push": ["tags": ["$each": []]]], to: ["tags": ["a"]]) == ["tags": ["a"]])
    }

    @Test func pushToMissingCreatesAnArray() throws {
        #expect(try S.apply(["$push": ["tags": "a"]], to: ["n": 1]) == ["n": 1, "tags": ["a"]])
        #expect(try S.apply(["$push": ["d.tags": ["$each": [1, 2]]]], to: [:]) == ["d": ["tags": [1, 2]]])
        #expect(try S.apply(["$push": ["m.1": "x"]], to: ["m": [[0]]]) == ["m": [[0], ["x"]]])
    }

    @Test func pushToNonArrayFails() {
        let error = S.applyFailure(["$push": ["name": "x"]], to: ["name": "bob"])
        #expect(error?.message == "cannot $push to non-array field name (it is a string)")
        #expect(error?.kind == .notApplicable)
        #expect(S.applyFailure(["$push": ["d": 1]], to: ["d": ["a": 1]])?.message
            == "cannot $push to non-array field d (it is an object)")
    }

    @Test func addToSetAddsOnlyAbsentElements() throws {
        #expect(try S.apply(["$addToSet": ["tags": "c"]], to: ["tags": ["a", "b"]]) == ["tags": ["a", "b", "c"]])
        #expect(try S.apply(["$addToSet": ["tags": "a"]], to: ["tags": ["a", "b"]]) == ["tags": ["a", "b"]])
        // numbers by value
        #expect(try S.apply(["$addToSet": ["n": 1.0]], to: ["n": [1, 2]]) == ["n": [1, 2]])
        #expect(try S.apply(["$addToSet": ["n": .int64(3)]], to: ["n": [1, 2]]) == ["n": [1, 2, .int64(3)]])
        // documents: same fields in the same order
        #expect(try S.apply(["$addToSet": ["d": ["a": 1, "b": 2]]], to: ["d": [["a": 1, "b": 2]]]) == ["d": [["a": 1, "b": 2]]])
        #expect(try S.apply(["$addToSet": ["d": ["b": 2, "a": 1]]], to: ["d": [["a": 1, "b": 2]]])
            == ["d": [["a": 1, "b": 2], ["b": 2, "a": 1]]])
        // a string is not a number
        #expect(try S.apply(["$addToSet": ["n": "1"]], to: ["n": [1]]) == ["n": [1, "1"]])
    }

    @Test func addToSetEachDeduplicates() throws {
        #expect(try S.apply(["$addToSet": ["tags": ["$each": ["b", "c", "c", "d"]]]], to: ["tags": ["a", "b"]])
            == ["tags": ["a", "b", "c", "d"]])
        #expect(try S.apply(["$addToSet": ["tags": ["$each": ["x", "x", "y"]]]], to: [:]) == ["tags": ["x", "y"]])
        #expect(try S.apply(["$addToSet": ["tags": "x"]], to: [:]) == ["tags": ["x"]])
    }

    @Test func addToSetToNonArrayFails() {
        #expect(S.applyFailure(["$addToSet": ["n": 1]], to: ["n": 1])?.message
            == "cannot $addToSet to non-array field n (it is a number)")
    }
}

@Suite("UpdateSpec.apply: $pull")
struct UpdateApplyPullTests {
    typealias S = UpdateTestSupport

    @Test func pullRemovesEqualValues() throws {
        #expect(try S.apply(["$pull": ["tags": "a"]], to: ["tags": ["a", "b", "a"]]) == ["tags": ["b"]])
        #expect(try S.apply(["$pull": ["n": 2]], to: ["n": [1, 2.0, .int64(2), "2", 3]]) == ["n": [1, "2", 3]])
        #expect(try S.apply(["$pull": ["m": [1, 2]]], to: ["m": [[1, 2], [2, 1], [1, 2, 3], 1]]) == ["m": [[2, 1], [1, 2, 3], 1]])
        #expect(try S.apply(["$pull": ["tags": "zz"]], to: ["tags": ["a"]]) == ["tags": ["a"]])
        #expect(try S.apply(["$pull": ["n": .null]], to: ["n": [.null, 1]]) == ["n": [1]])
    }

    @Test func pullWithOperators() throws {
        let scores: BSONDocument = ["s": [1, 5, 6, 9, 10]]
        #expect(try S.apply(["$pull": ["s": ["$gte": 6]]], to: scores) == ["s": [1, 5]])
        #expect(try S.apply(["$pull": ["s": ["$gt": 1, "$lt": 9]]], to: scores) == ["s": [1, 9, 10]])
        #expect(try S.apply(["$pull": ["s": ["$lte": 5]]], to: scores) == ["s": [6, 9, 10]])
        #expect(try S.apply(["$pull": ["s": ["$lt": 5.5]]], to: scores) == ["s": [6, 9, 10]])
        #expect(try S.apply(["$pull": ["s": ["$eq": 5]]], to: scores) == ["s": [1, 6, 9, 10]])
        #expect(try S.apply(["$pull": ["s": ["$ne": 5]]], to: scores) == ["s": [5]])
        #expect(try S.apply(["$pull": ["s": ["$in": [1, 10, 99]]]], to: scores) == ["s": [5, 6, 9]])
        #expect(try S.apply(["$pull": ["s": ["$nin": [1, 10]]]], to: scores) == ["s": [1, 10]])
        // comparisons stay within a type: strings are not > numbers
        #expect(try S.apply(["$pull": ["s": ["$gt": 2]]], to: ["s": [1, "9", 3]]) == ["s": [1, "9"]])
        // an element that is an array matches when one of its items does
        #expect(try S.apply(["$pull": ["m": ["$gte": 6]]], to: ["m": [[1, 7], [1, 2], 8]]) == ["m": [[1, 2]]])
        #expect(try S.apply(["$pull": ["s": ["$exists": true]]], to: ["s": [1, 2]]) == ["s": []])
    }

    @Test func pullWithFieldConditionsOnDocuments() throws {
        let lines: BSONDocument = ["lines": [
            ["sku": "a", "qty": 0], ["sku": "b", "qty": 2], ["sku": "a", "qty": 3, "tags": ["x"]], "loose", 7,
        ]]
        #expect(try S.apply(["$pull": ["lines": ["sku": "a"]]], to: lines)
            == ["lines": [["sku": "b", "qty": 2], "loose", 7]])
        #expect(try S.apply(["$pull": ["lines": ["sku": "a", "qty": ["$gt": 1]]]], to: lines)
            == ["lines": [["sku": "a", "qty": 0], ["sku": "b", "qty": 2], "loose", 7]])
        #expect(try S.apply(["$pull": ["lines": ["qty": ["$lt": 1]]]], to: lines)
            == ["lines": [["sku": "b", "qty": 2], ["sku": "a", "qty": 3, "tags": ["x"]], "loose", 7]])
        // array fan-out inside the element: tags == "x" matches ["x"]
        #expect(try S.apply(["$pull": ["lines": ["tags": "x"]]], to: lines)
            == ["lines": [["sku": "a", "qty": 0], ["sku": "b", "qty": 2], "loose", 7]])
        #expect(try S.apply(["$pull": ["lines": ["tags": ["$exists": false]]]], to: lines)
            == ["lines": [["sku": "a", "qty": 3, "tags": ["x"]], "loose", 7]])
        #expect(try S.apply(["$pull": ["lines": ["sku": ["$ne": "a"]]]], to: lines)
            == ["lines": [["sku": "a", "qty": 0], ["sku": "a", "qty": 3, "tags": ["x"]], "loose", 7]])
        #expect(try S.apply(["$pull": ["lines": ["sku": ["$in": ["b", "c"]]]]], to: lines)
            == ["lines": [["sku": "a", "qty": 0], ["sku": "a", "qty": 3, "tags": ["x"]], "loose", 7]])
        // {} matches every document element (MongoDB's behaviour), not scalars
        #expect(try S.apply(["$pull": ["lines": [:]]], to: lines) == ["lines": ["loose", 7]])
    }

    @Test func pullWithDottedFieldConditions() throws {
        let items: BSONDocument = ["items": [["d": ["w": 1]], ["d": ["w": 2]], ["d": "x"]]]
        #expect(try S.apply(["$pull": ["items": ["d.w": ["$gte": 2]]]], to: items) == ["items": [["d": ["w": 1]], ["d": "x"]]])
        // missing matches null
        #expect(try S.apply(["$pull": ["items": ["d.w": .null]]], to: items) == ["items": [["d": ["w": 1]], ["d": ["w": 2]]]])
    }

    @Test func pullOfMissingOrUnreachableIsANoOp() throws {
        let document: BSONDocument = ["a": 1, "s": "x"]
        #expect(try S.apply(["$pull": ["tags": "a"]], to: document) == document)
        #expect(try S.apply(["$pull": ["s.tags": "a"]], to: document) == document)
        #expect(try S.apply(["$pull": ["d.tags": "a"]], to: document) == document)
    }

    @Test func pullFromNonArrayFails() {
        let error = S.applyFailure(["$pull": ["s": "x"]], to: ["s": "x"])
        #expect(error?.message == "cannot $pull from non-array field s (it is a string)")
        #expect(error?.kind == .notApplicable)
    }

    @Test func pullInsideAnArrayElement() throws {
        #expect(try S.apply(["$pull": ["lines.1.tags": "x"]], to: ["lines": [["tags": ["x"]], ["tags": ["x", "y"]]]])
            == ["lines": [["tags": ["x"]], ["tags": ["y"]]]])
    }
}
