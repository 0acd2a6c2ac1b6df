import PMBSON
import PMTestKit
import Testing
@testable import PMPolicy
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random expressions × random documents × random callers (`PolicyCaseGenerator`): the evaluator must agree
/// with the compiled filter (interpreted by `ReferenceMatcher`), and `not (e)` must
/// be the negation of `e` in both back ends.
@Suite struct RandomizedConsistencyTests {
    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func evaluatorAgreesWithCompiledFilter(seed: UInt64) throws {
        var cases = PolicyCaseGenerator(seed: seed)
        var checked = 0
        // PM_POLICY_DUMP=<file>: also write each case as Extended JSON lines
        // ({source, filter, docs, expected}) to replay against a real server.
        let dump: UnsafeMutablePointer<FILE>? = getenv("PM_POLICY_DUMP").flatMap { fopen(String(cString: $0) + ".\(seed)", "w") }
        defer { if let dump { fclose(dump) } }
        for _ in 0..<300 {
            let source = cases.expression()
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
                let caller = cases.user()
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
                for index in 0..<8 {
                    // Stored documents always have an _id (the always-false filter relies on it).
                    let doc = cases.document(id: Int32(index))
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
