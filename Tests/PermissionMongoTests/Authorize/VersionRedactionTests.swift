import PMBSON
import PMPolicy
import Testing
@testable import PermissionMongo

@Suite("Versions without hidden fields")
struct VersionRedactionTests {
    private let user = PolicyUser(id: "u1", tenantId: "t", roles: [])

    private func data(_ value: BSON?) -> BSONDocument? {
        if case .document(let document)? = value { document } else { nil }
    }

    private func document(_ json: String) throws -> BSONDocument {
        try JSONReader.parseDocument(Array(json.utf8))
    }

    @Test func fullAndDiffVersionsLoseHiddenFields() throws {
        let visibility = ReadVisibility(
            readGrants: [Grant(role: "viewer", when: nil, denyRead: ["secret", "meta.code"])], otherGrants: [], user: user)
        let current = try document(#"{"title":"T","secret":3,"meta":{"code":"c","note":"n"}}"#)
        let versions = [
            try document(#"""
                {"version":2,"mode":"diff","changes":[
                  {"field":"secret","op":"set","from":2,"to":3},
                  {"field":"meta","op":"add","to":{"code":"c","note":"n"}},
                  {"field":"title","op":"set","from":"S","to":"T"}]}
                """#),
            try document(#"{"version":1,"mode":"full","data":{"title":"S","secret":2}}"#),
        ]
        let seen = visibility.redacted(versions: versions, current: current)
        guard case .array(let items)? = seen[0]["changes"] else { Issue.record("no changes"); return }
        let changes = items.compactMap { if case .document(let change) = $0 { change } else { nil } }
        #expect(changes.map { $0["field"] } == [.string("meta"), .string("title")])
        #expect(data(changes[0]["to"])?.keys == ["note"])
        #expect(data(seen[1]["data"])?.keys == ["title"])
    }

    @Test func aFieldHiddenFromAnOlderStateIsHiddenInEveryVersion() throws {
        // The owner sees the salary of its own documents only; the document used to be someone else's.
        let visibility = ReadVisibility(
            readGrants: [
                Grant(role: "own", when: try PolicyExpression.parse("doc.owner == user.id")),
                Grant(role: "all", when: nil, denyRead: ["salary"]),
            ],
            otherGrants: [], user: user)
        let current = try document(#"{"owner":"u1","salary":2}"#)
        let versions = [try document(#"{"version":1,"mode":"full","data":{"owner":"u2","salary":1}}"#)]
        #expect(visibility.redacted(current).keys == ["owner", "salary"])
        #expect(data(visibility.redacted(versions: versions, current: current)[0]["data"])?.keys == ["owner"])
    }

    @Test func nothingHiddenLeavesVersionsAsStored() throws {
        let versions = [try document(#"{"version":1,"mode":"full","data":{"salary":1}}"#)]
        #expect(ReadVisibility.nothingHidden.redacted(versions: versions, current: nil) == versions)
    }
}
