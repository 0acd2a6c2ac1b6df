import PMBSON
@testable import PMPolicy
import Testing

@Suite struct FilterCompilerTests {
    private let never: BSONDocument = ["_id": ["$exists": false]]

    @Test(arguments: [
        ("doc.a == 1", ["a": .int32(1)] as BSONDocument),
        ("doc.a == 3000000000", ["a": .int64(3_000_000_000)]),
        ("doc.a == -1.5", ["a": .double(-1.5)]),
        ("doc.a == 'x'", ["a": "x"]),
        ("doc.a == null", ["a": .null]),
        ("doc.a == true", ["a": true]),
        ("doc.a == [1, 'b', [null]]", ["a": [1, "b", [.null]]]),
        ("doc.a.b.0 == 1", ["a.b.0": 1]),
        ("doc.a != 'x'", ["a": ["$ne": "x"]]),
        ("doc.a < 1", ["a": ["$lt": 1]]),
        ("doc.a <= 1", ["a": ["$lte": 1]]),
        ("doc.a > 1", ["a": ["$gt": 1]]),
        ("doc.a >= 1", ["a": ["$gte": 1]]),
        ("1 < doc.a", ["a": ["$gt": 1]]),
        ("1 <= doc.a", ["a": ["$gte": 1]]),
        ("1 > doc.a", ["a": ["$lt": 1]]),
        ("1 >= doc.a", ["a": ["$lte": 1]]),
        ("'x' == doc.a", ["a": "x"]),
        ("'x' != doc.a", ["a": ["$ne": "x"]]),
        ("doc.a in [1, 2]", ["a": ["$in": [1, 2]]]),
        ("doc.a not in [1, 2]", ["a": ["$nin": [1, 2]]]),
        ("doc.a in []", ["a": ["$in": []]]),
        ("doc.tags contains 'x'", ["tags": "x"]),
        ("'x' in doc.tags", ["tags": "x"]),
        ("'x' not in doc.tags", ["tags": ["$ne": "x"]]),
        ("exists(doc.a.b)", ["a.b": ["$exists": true]]),
        ("doc.active", ["active": true]),
        ("not doc.active", ["$nor": [["active": true]]]),
        ("not doc.a == 1", ["$nor": [["a": 1]]]),
        ("!(doc.a == 1)", ["$nor": [["a": 1]]]),
        ("not not doc.a == 1", ["a": 1]),
        ("not exists(doc.a)", ["$nor": [["a": ["$exists": true]]]]),
        ("not (doc.a == 1 or doc.b == 2)", ["$nor": [["a": 1], ["b": 2]]]),
        ("doc.a == 1 and doc.b == 2", ["$and": [["a": 1], ["b": 2]]]),
        ("doc.a == 1 && (doc.b == 2 and (doc.c == 3 && doc.d == 4))", ["$and": [["a": 1], ["b": 2], ["c": 3], ["d": 4]]]),
        ("doc.a == 1 or (doc.b == 2 || doc.c == 3)", ["$or": [["a": 1], ["b": 2], ["c": 3]]]),
        ("doc.a == 1 or doc.b == 2 and doc.c == 3", ["$or": [["a": 1], ["$and": [["b": 2], ["c": 3]]]]]),
        ("(doc.a == 1 or doc.b == 2) and doc.c == 3", ["$and": [["$or": [["a": 1], ["b": 2]]], ["c": 3]]]),
        ("not (doc.a == 1 and doc.b == 2)", ["$nor": [["$and": [["a": 1], ["b": 2]]]]]),
    ] as [(String, BSONDocument)])
    func constructs(source: String, expected: BSONDocument) {
        #expect(filter(source) == expected)
    }

    @Test func callerValuesAreSubstituted() {
        #expect(filter("doc.created_by == user.id") == ["created_by": "u1"])
        #expect(filter("user.id == doc.created_by") == ["created_by": "u1"])
        #expect(filter("doc.t == user.tenant_id") == ["t": "t1"])
        #expect(filter("doc.org == user.claims.org") == ["org": "acme"])
        #expect(filter("doc.level < user.claims.level") == ["level": ["$lt": 3]])
        #expect(filter("doc.role in user.roles") == ["role": ["$in": ["editor", "viewer"]]])
        #expect(filter("user.roles contains doc.role") == ["role": ["$in": ["editor", "viewer"]]])
        #expect(filter("doc.role not in user.roles") == ["role": ["$nin": ["editor", "viewer"]]])
        #expect(filter("user.id in doc.members") == ["members": "u1"])
        #expect(filter("doc.members contains user.id") == ["members": "u1"])
        #expect(filter("user.id not in doc.members") == ["members": ["$ne": "u1"]])
        // Absent claims: null, and the empty list for `in`.
        #expect(filter("doc.org == user.claims.nope") == ["org": .null])
        #expect(filter("doc.org in user.claims.nope") == ["org": ["$in": []]])
        #expect(filter("doc.org not in user.claims.nope") == ["org": ["$nin": []]])
    }

    @Test func claimValuesCannotInjectOperators() {
        let user = PolicyUser(id: "u", tenantId: "t", roles: [], claims: [
            "meta": ["$ne": .null], "re": .regex(pattern: ".*", options: ""), "list": ["a", .regex(pattern: "b", options: "i")],
        ])
        #expect(filter("doc.m == user.claims.meta", user: user) == ["m": ["$eq": ["$ne": .null]]])
        #expect(filter("doc.m == user.claims.re", user: user) == ["m": ["$eq": .regex(pattern: ".*", options: "")]])
        #expect(filter("doc.m != user.claims.re", user: user) == ["$nor": [["m": ["$eq": .regex(pattern: ".*", options: "")]]]])
        #expect(filter("doc.m in user.claims.list", user: user)
            == ["$or": [["m": ["$in": ["a"]]], ["m": ["$eq": .regex(pattern: "b", options: "i")]]]])
        #expect(filter("doc.m not in user.claims.list", user: user)
            == ["$nor": [["m": ["$in": ["a"]]], ["m": ["$eq": .regex(pattern: "b", options: "i")]]]])
        // The evaluator treats those values as plain values too.
        let expression = parse("doc.m == user.claims.meta")
        #expect(expression?.evaluate(document: ["m": ["$ne": .null]], user: user) == true)
        #expect(expression?.evaluate(document: ["m": 1], user: user) == false)
    }

    @Test func constantFolding() throws {
        let rule = try #require(parse("user.roles contains 'admin' or doc.owner == user.id"))
        #expect(rule.mongoFilter(user: admin) == [:])
        #expect(rule.mongoFilter(user: alice) == ["owner": "u1"])
        #expect(rule.constantResult(user: admin) == true)
        #expect(rule.constantResult(user: alice) == nil)

        let both = try #require(parse("'admin' in user.roles and doc.x == 1"))
        #expect(both.mongoFilter(user: admin) == ["x": 1])
        #expect(both.mongoFilter(user: alice) == never)
        #expect(both.constantResult(user: alice) == false)

        #expect(filter("not (user.roles contains 'admin')", user: admin) == never)
        #expect(filter("not (user.roles contains 'admin')", user: alice) == [:])
        #expect(filter("doc.a == 1 and (user.claims.level > 5 or doc.b == 2)") == ["$and": [["a": 1], ["b": 2]]])
        #expect(filter("doc.a == 1 or not (user.claims.level > 5 or doc.b == 2)") == ["$or": [["a": 1], ["$nor": [["b": 2]]]]])
        #expect(filter("not (user.claims.level > 5 or not doc.b == 2)") == ["b": 2])
        #expect(filter("user.claims.level == 3 and user.id == 'u1'") == [:])
        #expect(filter("user.claims.level == 3 and user.id == 'u2'") == never)
        #expect(PolicyExpression.alwaysTrueFilter == [:])
        #expect(PolicyExpression.alwaysFalseFilter == never)
    }

    @Test func literalOnlyConditionsFoldAtParseTime() throws {
        for (source, value) in [("true", true), ("false", false), ("1 == 1", true), ("not (1 == 2)", true),
                                ("'a' in ['b']", false), ("true or doc.a == 1", true), ("false and doc.a == 1", false)] {
            let expression = try #require(parse(source))
            #expect(expression.root == .constant(value), "\(source)")
            #expect(!expression.dependsOnUser)
            #expect(expression.mongoFilter(user: alice) == (value ? [:] : never), "\(source)")
        }
        let mixed = try #require(parse("true and doc.a == 1 or false"))
        #expect(mixed.mongoFilter(user: admin) == ["a": 1])
        #expect(try #require(parse("doc.a == 1")).dependsOnUser == false)
        #expect(try #require(parse("doc.a == user.id")).dependsOnUser)
    }
}
