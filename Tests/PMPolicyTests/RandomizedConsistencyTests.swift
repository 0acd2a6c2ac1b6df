import PMBSON
import PMTestKit
import Testing
@testable import PMPolicy
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random expressions × random documents × random callers: the evaluator must agree
/// with the compiled filter (interpreted by `ReferenceMatcher`), and `not (e)` must
/// be the negation of `e` in both back ends.
@Suite struct RandomizedConsistencyTests {
    private static let paths = ["a", "b", "a.b", "a.0", "a.1", "a.b.0", "c.d", "tags", "n"]
    private static let scalarLiterals = ["1", "2", "-1", "1.5", "0.0", "2147483648", "'x'", "'y'", "''", "'é'", "true", "false", "null"]

    private func pick<T>(_ items: [T], _ rng: inout SplitMix) -> T { items[Int(rng.next() % UInt64(items.count))] }
    private func chance(_ percent: UInt64, _ rng: inout SplitMix) -> Bool { rng.next() % 100 < percent }

    private func arrayLiteral(_ rng: inout SplitMix) -> String {
        let count = Int(rng.next() % 4)
        return "[" + (0..<count).map { _ in pick(Self.scalarLiterals, &rng) }.joined(separator: ", ") + "]"
    }

    private func scalarValue(_ rng: inout SplitMix) -> String {
        chance(25, &rng) ? pick(["user.id", "user.tenant_id", "user.claims.org", "user.claims.level", "user.claims.none"], &rng)
            : pick(Self.scalarLiterals, &rng)
    }

    private func listValue(_ rng: inout SplitMix) -> String {
        chance(30, &rng) ? pick(["user.roles", "user.claims.groups", "user.claims.none"], &rng) : arrayLiteral(&rng)
    }

    private func comparison(_ rng: inout SplitMix) -> String {
        let path = "doc." + pick(Self.paths, &rng)
        switch rng.next() % 11 {
        case 0: return "\(path) \(pick(["==", "!="], &rng)) \(chance(20, &rng) ? arrayLiteral(&rng) : scalarValue(&rng))"
        case 1: return "\(path) \(pick(["<", "<=", ">", ">="], &rng)) \(scalarValue(&rng))"
        case 2: return "\(scalarValue(&rng)) \(pick(["==", "!=", "<", "<=", ">", ">="], &rng)) \(path)"
        case 3: return "\(path) \(pick(["in", "not in"], &rng)) \(listValue(&rng))"
        case 4: return "\(path) contains \(scalarValue(&rng))"
        case 5: return "\(scalarValue(&rng)) \(pick(["in", "not in"], &rng)) \(path)"
        case 6: return "exists(\(path))"
        case 7: return path
        case 8: return "\(pick(["'admin'", "'editor'"], &rng)) \(pick(["in", "not in"], &rng)) user.roles"
        case 9: return "user.claims.level \(pick(["==", "<", ">="], &rng)) \(pick(["1", "2", "null"], &rng))"
        default: return "\(listValue(&rng)) contains \(path)"
        }
    }

    private func expression(_ depth: Int, _ rng: inout SplitMix) -> String {
        if depth == 0 || chance(35, &rng) { return comparison(&rng) }
        switch rng.next() % 4 {
        case 0: return "\(pick(["not ", "!"], &rng))(\(expression(depth - 1, &rng)))"
        case 1: return "\(expression(depth - 1, &rng)) \(pick(["and", "&&"], &rng)) \(expression(depth - 1, &rng))"
        case 2: return "\(expression(depth - 1, &rng)) \(pick(["or", "||"], &rng)) \(expression(depth - 1, &rng))"
        default: return "(\(expression(depth - 1, &rng)))"
        }
    }

    private func value(_ depth: Int, _ rng: inout SplitMix) -> BSON {
        let scalars: [BSON] = [1, 2, -1, 1.5, 0.0, .int64(1), .int64(2_147_483_648), "x", "y", "", "é", true, false, .null,
                               .double(.nan), .date(BSONDate(millisecondsSince1970: 0)), .date(BSONDate(millisecondsSince1970: 5))]
        if depth == 0 || chance(55, &rng) { return pick(scalars, &rng) }
        switch rng.next() % 3 {
        case 0:
            return .array((0..<Int(rng.next() % 4)).map { _ in value(depth - 1, &rng) })
        case 1:
            var d = BSONDocument()
            for key in ["b", "d", "0"] where chance(50, &rng) { d.append(key, value(depth - 1, &rng)) }
            return .document(d)
        default:
            return .array((0..<Int(rng.next() % 3)).map { _ in
                var d = BSONDocument()
                for key in ["b", "d"] where chance(60, &rng) { d.append(key, value(depth - 1, &rng)) }
                return .document(d)
            })
        }
    }

    private func document(_ rng: inout SplitMix) -> BSONDocument {
        // Stored documents always have an _id (the always-false filter relies on it).
        var d: BSONDocument = ["_id": .objectId(ObjectId(high: rng.next(), low: 0))]
        for key in ["a", "b", "c", "tags", "n"] where chance(70, &rng) { d.append(key, value(2, &rng)) }
        return d
    }

    private func user(_ rng: inout SplitMix) -> PolicyUser {
        var claims = BSONDocument()
        if chance(60, &rng) { claims.append("org", pick(["x", "y", 1], &rng)) }
        if chance(60, &rng) {
            claims.append("level", pick([1, 2, 1.5, "2", .date(BSONDate(millisecondsSince1970: 3)), .double(.nan)], &rng))
        }
        if chance(60, &rng) { claims.append("groups", pick([["x", "y"], [], "x", [1, .null]], &rng)) }
        let roles = ["admin", "editor", "x"].filter { _ in chance(50, &rng) }
        return PolicyUser(id: pick(["x", "u1"], &rng), tenantId: pick(["y", "t1"], &rng), roles: roles, claims: claims)
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func evaluatorAgreesWithCompiledFilter(seed: UInt64) throws {
        var rng = SplitMix(state: seed)
        var checked = 0
        // PM_POLICY_DUMP=<file>: also write each case as Extended JSON lines
        // ({source, filter, docs, expected}) to replay against a real server.
        let dump: UnsafeMutablePointer<FILE>? = getenv("PM_POLICY_DUMP").flatMap { fopen(String(cString: $0) + ".\(seed)", "w") }
        defer { if let dump { fclose(dump) } }
        for _ in 0..<300 {
            let source = expression(3, &rng)
            let expression: PolicyExpression
            let negated: PolicyExpression
            do {
                expression = try PolicyExpression.parse(source)
                negated = try PolicyExpression.parse("not (\(source))")
            } catch {
                Issue.record("generated expression did not parse: \(source): \(error)")
                continue
            }
            for _ in 0..<4 {
                let caller = user(&rng)
                let compiled = expression.mongoFilter(user: caller)
                let compiledNegation = negated.mongoFilter(user: caller)
                var docs: [BSONDocument] = []
                var verdicts: [Bool] = []
                defer {
                    if let dump {
                        let line = "{\"source\":\(ExtendedJSON.quote(source)),\"filter\":\(ExtendedJSON.write(compiled)),"
                            + "\"docs\":[\(docs.map { ExtendedJSON.write($0) }.joined(separator: ","))],"
                            + "\"expected\":[\(verdicts.map { $0 ? "true" : "false" }.joined(separator: ","))]}\n"
                        fputs(line, dump)
                    }
                }
                for _ in 0..<8 {
                    let doc = document(&rng)
                    docs.append(doc)
                    let allowed = expression.evaluate(document: doc, user: caller)
                    let matched = ReferenceMatcher.matches(compiled, doc)
                    verdicts.append(allowed)
                    #expect(allowed == matched, "\(source)\n  user \(caller)\n  doc \(doc)\n  filter \(compiled)")
                    #expect(negated.evaluate(document: doc, user: caller) == !allowed, "not (\(source)) on \(doc)")
                    #expect(ReferenceMatcher.matches(compiledNegation, doc) == !allowed, "filter \(compiledNegation) on \(doc)")
                    if let constant = expression.constantResult(user: caller) { #expect(constant == allowed) }
                    checked += 1
                }
            }
        }
        #expect(checked == 300 * 4 * 8)
    }
}
