import PMBSON
@testable import PMPolicy
import Testing

/// Truth tables: each row is (document, expected). Every row is also checked
/// against the compiled filter through `ReferenceMatcher`.
@Suite struct EvaluatorTests {
    private func check(_ source: String, user: PolicyUser = alice, _ rows: [(BSONDocument, Bool)],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expression = parse(source, sourceLocation: sourceLocation) else { return }
        let compiled = expression.mongoFilter(user: user)
        for (document, expected) in rows {
            #expect(expression.evaluate(document: document, user: user) == expected,
                    "\(source) on \(document)", sourceLocation: sourceLocation)
            #expect(ReferenceMatcher.matches(compiled, document) == expected,
                    "filter \(compiled) on \(document)", sourceLocation: sourceLocation)
        }
    }

    @Test func equalityMatchesArrayElements() {
        check("doc.tags == 'x'", [
            (["tags": ["x", "y"]], true), (["tags": "x"], true), (["tags": ["y"]], false), ([:], false),
            (["tags": [["x"]]], false), (["tags": .null], false), (["tags": []], false),
        ])
        check("doc.tags == ['x', 'y']", [
            (["tags": ["x", "y"]], true), (["tags": ["y", "x"]], false), (["tags": [["x", "y"], "z"]], true),
            (["tags": "x"], false),
        ])
        check("doc.tags contains 'x'", [(["tags": ["a", "x"]], true), (["tags": "x"], true), (["tags": ["a"]], false), ([:], false)])
        check("'x' in doc.tags", [(["tags": ["a", "x"]], true), (["tags": ["a"]], false)])
        check("'x' not in doc.tags", [(["tags": ["a", "x"]], false), (["tags": ["a"]], true), ([:], true)])
    }

    @Test func nullAndMissing() {
        check("doc.a == null", [
            ([:], true), (["a": .null], true), (["a": [.null]], true), (["a": [1, .null]], true), (["a": []], false),
            (["a": 0], false), (["a": ""], false), (["a": .undefined], false), (["b": .null], true),
        ])
        check("doc.a != null", [([:], false), (["a": .null], false), (["a": 0], true), (["a": []], true)])
        check("doc.a != 1", [([:], true), (["a": 2], true), (["a": [1, 2]], false), (["a": 1.0], false), (["a": .int64(1)], false)])
        check("doc.a >= null", [([:], true), (["a": .null], true), (["a": 0], false)])
        check("doc.a <= null", [([:], true), (["a": .null], true), (["a": 0], false)])
        check("doc.a > null", [([:], false), (["a": .null], false), (["a": 0], false)])
        check("doc.a < 5", [([:], false), (["a": .null], false)])
    }

    @Test func dottedPathsThroughArrays() {
        // MongoDB's jstests/core/null2.js
        check("doc.a.b == null", [
            (["a": [["b": 5]]], false), (["a": [[:]]], true), (["a": []], false), (["a": [[:], ["b": 5]]], true),
            (["a": [5, ["b": 5]]], false), (["a": 5], true), ([:], true), (["a": ["b": .null]], true),
        ])
        check("doc.a.b == 1", [
            (["a": [["b": 1]]], true), (["a": ["b": [1, 2]]], true), (["a": [[["b": 1]]]], false),
            (["a": [["b": [1]]]], true), (["a": [["b": 2], ["b": 1]]], true), (["a": 1], false),
        ])
        check("doc.a.b.c == null", [(["a": [["b": []], ["b": ["c": 1]]]], false)])
        check("doc.a.0 == 5", [
            (["a": [5, 6]], true), (["a": [6, 5]], false), (["a": ["0": 5]], true),
        ])
        check("doc.a.1.b == 2", [(["a": [["b": 1], ["b": 2]]], true), (["a": [["b": 2], ["b": 1]]], false)])
    }

    /// Numeric path components, as SecantusDB answers them.
    @Test func numericPathComponents() {
        check("doc.a.0 == 5", [(["a": [["0": 5]]], true), (["a": [7, ["0": 5]]], true), (["a": [5]], true)])
        check("doc.a.1 == 5", [(["a": [["1": 5], 7]], true)])
        // A value selected by position is not expanded; one reached by name is.
        check("doc.a.0 == 1", [(["a": [[1, 2]]], false), (["a": ["0": [1, 2]]], true), (["a": [["0": [1, 2]]]], true)])
        check("doc.a.0 == [1, 2]", [(["a": [[1, 2]]], true)])
        check("doc.a.0 > 0", [(["a": [[1, 2]]], false)])
        check("doc.a.0 in [1]", [(["a": [[1, 2]]], false)])
        check("doc.a.0.0 == 1", [(["a": [[1]]], true)])
        check("doc.a.0.b == 1", [(["a": [[["b": 1]]]], true), (["a": [["b": [1, 2]]]], true)])
        check("doc.a.b.0 == 1", [(["a": [["b": [1]]]], true)])
        check("doc.a.00 == 5", [(["a": [5]], true)])
        // Past the end is missing; a document element without the name is missing too.
        check("doc.a.0 == null", [(["a": []], true), (["a": [1]], false), (["a": [["x": 1]]], true), (["a": [[]]], false),
                                  (["a": [["0": 1], ["x": 1]]], true)])
        check("doc.a.1 == null", [(["a": [1]], true)])
        check("doc.a.1.b == null", [(["a": [1]], true)])
        check("doc.a.0.b == null", [(["a": [["b": 1]]], true), (["a": [5]], true)])
        check("doc.b.1 == null", [(["b": ["x": [1]]], true)])
        check("exists(doc.a.1)", [(["a": [1]], false), (["a": [1, 2]], true)])
        check("exists(doc.a.0)", [(["a": [["x": 1]]], true), (["a": []], false)])
        check("doc.a.1 != null", [(["a": [1]], false)])
        check("exists(doc.a.b)", [
            (["a": ["b": .null]], true), (["a": [["c": 1], ["b": 1]]], true), (["a": [1]], false), ([:], false),
            (["a": [[:]]], false), (["a": 1], false),
        ])
        check("exists(doc.a)", [(["a": []], true), (["a": .null], true), ([:], false)])
        check("not exists(doc.a)", [(["a": []], false), ([:], true)])
    }

    @Test func mixedNumerics() {
        check("doc.n == 1", [(["n": 1], true), (["n": .int64(1)], true), (["n": 1.0], true), (["n": 1.5], false), (["n": "1"], false)])
        check("doc.n < 2.5", [(["n": .int64(2)], true), (["n": 3], false), (["n": 2.5], false), (["n": -1e300], true)])
        check("doc.n > 9007199254740992", [
            (["n": .int64(9_007_199_254_740_993)], true), (["n": 9_007_199_254_740_992.0], false), (["n": 1e16], true),
        ])
        check("doc.n > 9007199254740992.0", [(["n": .int64(9_007_199_254_740_993)], true), (["n": .int64(9_007_199_254_740_992)], false)])
        check("doc.n >= -2", [(["n": -2.0], true), (["n": .int64(-3)], false), (["n": [-5, -1]], true)])
        check("doc.n in [1, 2.5]", [(["n": .int64(1)], true), (["n": 2.5], true), (["n": 2], false)])
    }

    @Test func typeBracketing() {
        check("doc.a > 1", [(["a": "2"], false), (["a": true], false), (["a": [0, "5"]], false), (["a": 2], true)])
        check("doc.a < 'b'", [(["a": 1], false), (["a": "a"], true), (["a": "B"], true), (["a": "ba"], false), (["a": "b"], false)])
        check("doc.b > false", [(["b": true], true), (["b": false], false), (["b": 1], false)])
        check("doc.b >= true", [(["b": true], true), (["b": false], false)])
        check("doc.s == 'caf\\u00e9'", [(["s": "café"], true), (["s": "cafe\u{301}"], false)])
        check("doc.s < 'é'", [(["s": "z"], true), (["s": "\u{1F600}"], false)])
    }

    @Test func orderingOverArrays() {
        check("doc.scores > 90", [(["scores": [50, 95]], true), (["scores": [50]], false), (["scores": []], false)])
        // Each condition may be met by a different element, as in MongoDB.
        check("doc.scores < 10 and doc.scores > 90", [(["scores": [5, 95]], true), (["scores": [50]], false)])
    }

    @Test func dates() {
        let user = PolicyUser(id: "u", tenantId: "t", roles: [], claims: ["since": .date(BSONDate(millisecondsSince1970: 1000))])
        let at = { (ms: Int64) -> BSON in .date(BSONDate(millisecondsSince1970: ms)) }
        check("doc.d < user.claims.since", user: user, [
            (["d": at(999)], true), (["d": at(1000)], false), (["d": at(-5)], true), (["d": 999], false), (["d": "1970"], false),
            ([:], false), (["d": [at(5000), at(1)]], true),
        ])
        check("doc.d <= user.claims.since", user: user, [(["d": at(1000)], true), (["d": at(1001)], false)])
        check("user.claims.since < doc.d", user: user, [(["d": at(1001)], true), (["d": at(1000)], false)])
        check("doc.d == user.claims.since", user: user, [(["d": at(1000)], true), (["d": 1000], false)])
    }

    @Test func objectIdsAndDocuments() {
        let low = ObjectId(high: 1, low: 0), high = ObjectId(high: 2, low: 0)
        let user = PolicyUser(id: "u", tenantId: "t", roles: [],
                              claims: ["after": .objectId(low), "meta": ["a": 1, "b": 2]])
        check("doc._id > user.claims.after", user: user, [
            (["_id": .objectId(high)], true), (["_id": .objectId(low)], false), (["_id": .string(high.hex)], false),
        ])
        check("doc.m == user.claims.meta", user: user, [
            (["m": ["a": 1.0, "b": .int64(2)]], true), (["m": ["b": 2, "a": 1]], false), (["m": ["a": 1]], false),
            (["m": [["a": 1, "b": 2]]], true),
        ])
    }

    @Test func membership() {
        check("doc.a in [1, 'x', null]", [
            (["a": 1.0], true), ([:], true), (["a": ["y", "x"]], true), (["a": 2], false), (["a": []], false),
        ])
        check("doc.a not in [1, 2]", [([:], true), (["a": [3, 1]], false), (["a": 3], true)])
        check("doc.a in []", [([:], false), (["a": 1], false)])
        check("doc.a not in []", [([:], true), (["a": 1], true)])
        check("doc.role in user.roles", [(["role": "editor"], true), (["role": "admin"], false), (["role": ["x", "viewer"]], true)])
        check("user.roles contains doc.role", [(["role": "viewer"], true), (["role": "admin"], false)])
    }

    @Test func bareBooleans() {
        check("doc.active", [(["active": true], true), (["active": 1], false), (["active": [false, true]], true), ([:], false)])
        check("not doc.active", [(["active": true], false), ([:], true), (["active": "yes"], true)])
        check("!doc.active && doc.n > 0", [(["active": false, "n": 1], true), (["active": true, "n": 1], false)])
    }

    @Test func logic() {
        let source = "doc.a == 1 or doc.b == 2 and doc.c == 3"
        check(source, [
            (["a": 1], true), (["b": 2], false), (["b": 2, "c": 3], true), (["a": 0, "c": 3], false),
        ])
        check("(doc.a == 1 or doc.b == 2) and doc.c == 3", [(["a": 1], false), (["a": 1, "c": 3], true)])
        check("not (doc.a == 1 or doc.b == 2)", [([:], true), (["a": 1], false), (["b": 2], false)])
        check("not not doc.a == 1", [(["a": 1], true), ([:], false)])
    }

    @Test func callerValues() {
        check("doc.created_by == user.id", [(["created_by": "u1"], true), (["created_by": "u2"], false), ([:], false)])
        check("doc.tenant == user.tenant_id and doc.org == user.claims.org", [
            (["tenant": "t1", "org": "acme"], true), (["tenant": "t1", "org": "other"], false),
        ])
        // An absent claim reads as null: it equals a missing or null field.
        check("doc.owner == user.claims.missing", [([:], true), (["owner": .null], true), (["owner": "x"], false)])
        check("doc.owner != user.claims.missing", [([:], false), (["owner": "x"], true)])
        // ... and an absent list claim is the empty list.
        check("doc.group in user.claims.groups", [([:], false), (["group": "g"], false)])
        check("doc.group not in user.claims.groups", [([:], true), (["group": "g"], true)])
        let withGroups = PolicyUser(id: "u", tenantId: "t", roles: [], claims: ["groups": ["g1", "g2"], "one": "g3"])
        check("doc.group in user.claims.groups", user: withGroups, [(["group": "g2"], true), (["group": "g3"], false)])
        check("doc.group in user.claims.one", user: withGroups, [(["group": "g3"], true), (["group": "g2"], false)])
    }

    @Test func constantsForTheCaller() throws {
        let cases: [(String, PolicyUser, Bool)] = [
            ("user.roles contains 'admin'", admin, true),
            ("user.roles contains 'admin'", alice, false),
            ("'admin' in user.roles", admin, true),
            ("'admin' not in user.roles", admin, false),
            ("user.roles == 'viewer'", alice, true),
            ("user.claims.level >= 3", alice, true),
            ("3 <= user.claims.level", alice, true),
            ("user.claims.level > 3", alice, false),
            ("user.claims.level >= 3", admin, false),
            ("user.claims.nothing == null", alice, true),
            ("user.claims.nothing", alice, false),
            ("user.claims.org in ['acme', 'initech']", alice, true),
            ("user.roles in ['viewer', 'x']", alice, true),
            ("user.id != user.tenant_id", alice, true),
            ("1 == 1.0", alice, true),
            ("'a' < 'b' and not (1 > 2)", alice, true),
            ("null == null", alice, true),
            ("[1, 2] == [1, 2]", alice, true),
            ("true", alice, true),
            ("false or false", alice, false),
        ]
        for (source, user, expected) in cases {
            let expression = try #require(parse(source))
            #expect(expression.evaluate(document: ["any": 1], user: user) == expected, "\(source)")
            #expect(expression.constantResult(user: user) == expected, "\(source)")
        }
    }

    @Test func nanFollowsMongo() {
        let user = PolicyUser(id: "u", tenantId: "t", roles: [], claims: ["nan": .double(.nan)])
        check("doc.x == user.claims.nan", user: user, [(["x": .double(.nan)], true), (["x": 1], false)])
        check("doc.x <= user.claims.nan", user: user, [(["x": .double(.nan)], true), (["x": 1], false)])
        check("doc.x < user.claims.nan", user: user, [(["x": .double(.nan)], false), (["x": 1], false)])
        check("doc.x > 0", [(["x": .double(.nan)], false)])
        check("doc.x < 0", [(["x": .double(.nan)], false)])
    }
}

@Suite struct ValueComparisonTests {
    @Test func orderOfTypes() {
        let ascending: [BSON] = [
            .minKey, .null, 1, "a", ["k": 1], [1], .binary(subtype: 0, data: [1]), .objectId(ObjectId(high: 0, low: 0)),
            false, .date(BSONDate(millisecondsSince1970: 0)), .timestamp(increment: 0, seconds: 0),
            .regex(pattern: "a", options: ""), .maxKey,
        ]
        for (i, a) in ascending.enumerated() {
            for (j, b) in ascending.enumerated() {
                let c = MongoComparison.compare(a, b)
                #expect((c < 0) == (i < j) && (c == 0) == (i == j), "\(a) vs \(b)")
            }
        }
    }

    @Test func numbers() {
        #expect(MongoComparison.compare(.int32(1), .double(1.0)) == 0)
        #expect(MongoComparison.compare(.int64(.max), .double(9_223_372_036_854_775_807.0)) < 0)
        #expect(MongoComparison.compare(.int64(.min), .double(-9_223_372_036_854_775_808.0)) == 0)
        #expect(MongoComparison.compare(.int64(3), .double(3.5)) < 0)
        #expect(MongoComparison.compare(.int64(-3), .double(-3.5)) > 0)
        #expect(MongoComparison.compare(.double(.nan), .int32(.min)) < 0)
        #expect(MongoComparison.equal(.double(.nan), .double(.nan)))
        // 1.5 as decimal128: coefficient 15, exponent -1.
        let decimal = BSON.decimal128(low: 15, high: UInt64(6176 - 1) << 49)
        #expect(MongoComparison.compare(decimal, .double(1.5)) == 0)
        #expect(MongoComparison.equal(decimal, .int32(1)) == false)
    }

    @Test func documentsAndArrays() {
        #expect(MongoComparison.equal(["a": 1, "b": [1, 2]], ["a": 1.0, "b": [.int64(1), 2]]))
        #expect(!MongoComparison.equal(["a": 1, "b": 2], ["b": 2, "a": 1]))
        #expect(MongoComparison.compare([1, 2], [1, 2, 0]) < 0)
        #expect(MongoComparison.compare(["a": 1], ["a": "x"]) < 0)
        #expect(MongoComparison.compare("B", "a") < 0)
    }
}
