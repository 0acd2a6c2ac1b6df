import PMBSON
import Testing
@testable import PermissionMongo

@Suite("UpdateSpec: values read by the schema")
struct UpdateTypingTests {
    typealias S = UpdateTestSupport
    let schema = UpdateTestSupport.schema
    let iso = "2024-01-02T03:04:05.000Z"
    let isoMs: Int64 = 1_704_164_645_000

    @Test func dateAndObjectIdFieldsAreConverted() throws {
        let after = try S.apply(["released": .string(iso), "owner": .string(S.hex), "name": .string(iso)], to: [:], schema: schema)
        #expect(after == ["name": .string(iso), "owner": S.oid, "released": S.date(isoMs)])
    }

    @Test func withoutASchemaStringsStayStrings() throws {
        #expect(try S.apply(["released": .string(iso)], to: [:]) == ["released": .string(iso)])
    }

    @Test func invalidSpellingsStayAsGivenForValidationToReport() throws {
        #expect(try S.apply(["released": "yesterday", "owner": "xyz"], to: [:], schema: schema)
            == ["owner": "xyz", "released": "yesterday"])
    }

    @Test func nestedPathsAndNestedValuesAreConverted() throws {
        #expect(try S.apply(["$set": ["dims.made": .string(iso)]], to: [:], schema: schema) == ["dims": ["made": S.date(isoMs)]])
        #expect(try S.apply(["dims": ["w": 2, "made": .string(iso)]], to: [:], schema: schema)
            == ["dims": ["w": 2, "made": S.date(isoMs)]])
        #expect(try S.apply(["$set": ["lines.0.at": .string(iso)]], to: ["lines": [["at": .null]]], schema: schema)
            == ["lines": [["at": S.date(isoMs)]]])
        #expect(try S.apply(["lines": [["at": .string(iso), "ref": .string(S.hex)]]], to: [:], schema: schema)
            == ["lines": [["at": S.date(isoMs), "ref": S.oid]]])
        #expect(try S.apply(["$set": ["history.1": .string(iso)]], to: ["history": [S.date(0)]], schema: schema)
            == ["history": [S.date(0), S.date(isoMs)]])
    }

    @Test func arrayOperatorElementsAreConverted() throws {
        #expect(try S.apply(["$push": ["history": .string(iso)]], to: ["history": []], schema: schema)
            == ["history": [S.date(isoMs)]])
        #expect(try S.apply(["$push": ["history": ["$each": [.string(iso)]]]], to: [:], schema: schema)
            == ["history": [S.date(isoMs)]])
        #expect(try S.apply(["$addToSet": ["history": .string(iso)]], to: ["history": [S.date(isoMs)]], schema: schema)
            == ["history": [S.date(isoMs)]])
        #expect(try S.apply(["$push": ["lines": ["ref": .string(S.hex)]]], to: [:], schema: schema)
            == ["lines": [["ref": S.oid]]])
    }

    @Test func pullConditionsAreConverted() throws {
        let history: BSONDocument = ["history": [S.date(0), S.date(isoMs)]]
        #expect(try S.apply(["$pull": ["history": .string(iso)]], to: history, schema: schema) == ["history": [S.date(0)]])
        #expect(try S.apply(["$pull": ["history": ["$lt": .string(iso)]]], to: history, schema: schema)
            == ["history": [S.date(isoMs)]])
        let lines: BSONDocument = ["lines": [["ref": S.oid], ["ref": .null]]]
        #expect(try S.apply(["$pull": ["lines": ["ref": .string(S.hex)]]], to: lines, schema: schema) == ["lines": [["ref": .null]]])
        #expect(try S.apply(["$pull": ["lines": ["at": ["$in": [.string(iso)]]]]], to: ["lines": [["at": S.date(isoMs)], ["at": S.date(1)]]], schema: schema)
            == ["lines": [["at": S.date(1)]]])
        // Without the schema the string does not equal the date.
        #expect(try S.apply(["$pull": ["history": .string(iso)]], to: history) == history)
    }

    @Test func minAndMaxCompareDatesAsDates() throws {
        let later = "2025-03-04T05:06:07.890Z"
        #expect(try S.apply(["$max": ["released": .string(later)]], to: ["released": S.date(isoMs)], schema: schema)
            == ["released": S.date(1_741_064_767_890)])
        #expect(try S.apply(["$min": ["released": .string(later)]], to: ["released": S.date(isoMs)], schema: schema)
            == ["released": S.date(isoMs)])
    }
}
