import PMBSON
import PMPolicy

/// Random `when` expressions, documents and callers for the property that the evaluator
/// and the compiled filter agree (`PMPolicyTests/RandomizedConsistencyTests` against the
/// reference matcher, `PolicyConsistencyTests` against SecantusDB). Covers int64/double edge values (2^53 + 1 against 2^53 as a double,
/// -0.0, NaN), byte-order-sensitive strings, dates, arrays of scalars and documents at
/// several depths, nested arrays, document- and date-valued claims. Documents never
/// contain, and expressions never name, `_id` (the test sets an integer `_id`).
public struct PolicyCaseGenerator {
    public var rng: SplitMix

    public init(seed: UInt64) { rng = SplitMix(state: seed) }

    /// Paths into the generated documents: top level, dotted through documents and
    /// arrays of documents, positional (`a.0`), past the end (`tags.5`), never present (`zz`).
    static let paths = [
        "a", "b", "a.b", "a.d", "a.0", "a.1", "a.b.0", "a.b.d", "a.0.b", "c", "c.d", "c.b.d",
        "tags", "tags.0", "tags.5", "n", "d", "m", "zz",
    ]

    static let scalarLiterals = [
        "0", "1", "2", "-1", "1.5", "0.0", "-0.0", "2.0", "2147483648", "9007199254740993", "9007199254740992.0",
        "9223372036854775807", "-2147483648", "1e300", "-1e300",
        "'x'", "'y'", "''", "'é'", "'e\\u0301'", "'B'", "'a'", "'xa'", "'😀'", "'\\uFF61'", "true", "false", "null",
    ]

    static let userScalars = [
        "user.id", "user.tenant_id", "user.claims.org", "user.claims.level", "user.claims.none",
        "user.claims.obj", "user.claims.since", "user.claims.groups.0", "user.claims.obj.b",
    ]

    static let userLists = ["user.roles", "user.claims.groups", "user.claims.none", "user.claims.level"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    // MARK: expressions

    mutating func arrayLiteral(depth: Int = 1) -> String {
        let count = below(4)
        let items = (0..<count).map { _ -> String in
            depth > 0 && chance(10) ? arrayLiteral(depth: depth - 1) : pick(Self.scalarLiterals)
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    mutating func scalarValue() -> String {
        chance(30) ? pick(Self.userScalars) : pick(Self.scalarLiterals)
    }

    mutating func listValue() -> String {
        chance(35) ? pick(Self.userLists) : arrayLiteral()
    }

    mutating func comparison() -> String {
        let path = "doc." + pick(Self.paths)
        switch rng.next() % 13 {
        case 0: return "\(path) \(pick(["==", "!="])) \(chance(20) ? arrayLiteral() : scalarValue())"
        case 1, 2: return "\(path) \(pick(["<", "<=", ">", ">="])) \(scalarValue())"
        case 3: return "\(scalarValue()) \(pick(["==", "!=", "<", "<=", ">", ">="])) \(path)"
        case 4: return "\(path) \(pick(["in", "not in"])) \(listValue())"
        case 5: return "\(path) contains \(scalarValue())"
        case 6: return "\(scalarValue()) \(pick(["in", "not in"])) \(path)"
        case 7: return "exists(\(path))"
        case 8: return path
        case 9: return "\(pick(["'admin'", "'editor'", "user.id"])) \(pick(["in", "not in"])) user.roles"
        case 10: return "user.roles contains \(pick(["'admin'", "'x'"]))"
        case 11: return "user.claims.level \(pick(["==", "!=", "<", ">="])) \(pick(["1", "2", "null", "'2'"]))"
        default: return "\(listValue()) contains \(path)"
        }
    }

    public mutating func expression(depth: Int = 3) -> String {
        if depth == 0 || chance(35) { return comparison() }
        switch rng.next() % 4 {
        case 0: return "\(pick(["not ", "!"]))(\(expression(depth: depth - 1)))"
        case 1: return "\(expression(depth: depth - 1)) \(pick(["and", "&&"])) \(expression(depth: depth - 1))"
        case 2: return "\(expression(depth: depth - 1)) \(pick(["or", "||"])) \(expression(depth: depth - 1))"
        default: return "(\(expression(depth: depth - 1)))"
        }
    }

    // MARK: documents

    static let scalars: [BSON] = [
        .int32(0), .int32(1), .int32(2), .int32(-1),
        .int64(1), .int64(2), .int64(2_147_483_648), .int64(9_007_199_254_740_993),
        .int64(.max), .int32(.min),
        .double(1.5), .double(0.0), .double(-0.0), .double(2.0), .double(9_007_199_254_740_992.0), .double(.nan),
        .double(1e300), .double(-.infinity), .double(9_223_372_036_854_775_807.0),
        .string("x"), .string("y"), .string(""), .string("é"), .string("e\u{301}"), .string("B"), .string("a"),
        .string("xa"), .string("admin"), .string("u1"), .string("😀"), .string("\u{FF61}"),
        .objectId(ObjectId(hex: "65a1b2c3d4e5f60718293a4b")!), .string("65a1b2c3d4e5f60718293a4b"),
        .bool(true), .bool(false), .null,
        .date(BSONDate(millisecondsSince1970: 0)), .date(BSONDate(millisecondsSince1970: 5)),
        .date(BSONDate(millisecondsSince1970: -1000)),
    ]

    mutating func value(depth: Int) -> BSON {
        if depth == 0 || chance(50) { return pick(Self.scalars) }
        switch rng.next() % 4 {
        case 0:  // array of scalars (sometimes a nested array)
            return .array((0..<below(4)).map { _ in chance(15) ? value(depth: depth - 1) : pick(Self.scalars) })
        case 1:  // nested document
            var d = BSONDocument()
            for key in ["b", "d", "0"] where chance(55) { d.append(key, value(depth: depth - 1)) }
            return .document(d)
        case 2:  // array of documents
            return .array((0..<below(4)).map { _ in
                var d = BSONDocument()
                for key in ["b", "d"] where chance(60) { d.append(key, value(depth: depth - 1)) }
                return .document(d)
            })
        default:  // mixed array
            return .array((0..<below(4)).map { _ in value(depth: depth - 1) })
        }
    }

    /// A document with integer `_id` `id` and a random subset of the generated fields
    /// (a missing field is just left out).
    public mutating func document(id: Int32) -> BSONDocument {
        var d: BSONDocument = ["_id": .int32(id)]
        for key in ["a", "b", "c", "tags", "n", "d", "m"] where chance(70) {
            switch key {
            case "d": d.append(key, chance(70) ? .date(BSONDate(millisecondsSince1970: Int64(below(11)) - 2)) : value(depth: 1))
            default: d.append(key, value(depth: 3))
            }
        }
        return d
    }

    // MARK: callers

    public mutating func user() -> PolicyUser {
        var claims = BSONDocument()
        if chance(60) { claims.append("org", pick(["x", "y", 1, .int64(2)] as [BSON])) }
        if chance(60) {
            claims.append("level", pick([1, 2, 1.5, "2", .int64(9_007_199_254_740_993), .date(BSONDate(millisecondsSince1970: 3)),
                                         .double(.nan), .null, ["x", 1]] as [BSON]))
        }
        if chance(60) { claims.append("groups", pick([["x", "y"], [], "x", [1, .null], [[1, 2]], ["admin", 2.0]] as [BSON])) }
        if chance(50) { claims.append("obj", pick([["b": 1], ["b": "x", "d": 2], [:]] as [BSON])) }
        if chance(50) { claims.append("since", .date(BSONDate(millisecondsSince1970: Int64(below(7)) - 1))) }
        let roles = ["admin", "editor", "x"].filter { _ in chance(50) }
        return PolicyUser(id: pick(["x", "u1", "admin"]), tenantId: pick(["y", "t1"]), roles: roles, claims: claims)
    }
}
