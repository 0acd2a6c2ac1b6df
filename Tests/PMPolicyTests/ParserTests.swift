import PMBSON
@testable import PMPolicy
import Testing

@Suite struct ParserTests {
    private func syntax(_ source: String) throws -> Expression { try Parser.parse(source) }

    private func doc(_ path: String, _ column: Int, line: Int = 1) -> OperandNode {
        OperandNode(operand: .document(FieldPath(path.split(separator: ".").map(String.init))),
                    position: SourcePosition(line: line, column: column), text: "doc." + path)
    }

    private func literal(_ value: BSON, _ text: String, _ column: Int) -> OperandNode {
        OperandNode(operand: .literal(value), position: SourcePosition(line: 1, column: column), text: text)
    }

    @Test func comparisonTree() throws {
        #expect(try syntax("doc.a == 1") == .comparison(.equal, doc("a", 1), literal(1, "1", 10), operatorPosition: .init(line: 1, column: 7)))
        #expect(try syntax("doc.a not in [1]") == .comparison(
            .notIn, doc("a", 1), literal([1], "[...]", 14), operatorPosition: .init(line: 1, column: 7)))
        #expect(try syntax("((doc.a)) contains 'x'") == .comparison(
            .contains, doc("a", 3), literal("x", "'x'", 20), operatorPosition: .init(line: 1, column: 11)))
    }

    @Test func precedence() throws {
        let a = Expression.comparison(.equal, doc("a", 1), literal(1, "1", 10), operatorPosition: .init(line: 1, column: 7))
        // or < and < not < comparison
        guard case .or(let top) = try syntax("doc.a == 1 or not doc.b and doc.c || doc.d") else {
            Issue.record("expected or at the top"); return
        }
        #expect(top.count == 3)
        #expect(top[0] == a)
        #expect(top[1] == .and([.not(.truthy(doc("b", 19)), .init(line: 1, column: 15)), .truthy(doc("c", 29))]))
        #expect(top[2] == .truthy(doc("d", 38)))
        // `not` binds tighter than `and` but looser than comparisons.
        #expect(try syntax("not doc.a == 1") == .not(
            .comparison(.equal, doc("a", 5), literal(1, "1", 14), operatorPosition: .init(line: 1, column: 11)), .init(line: 1, column: 1)))
        // Nested and/or are flattened; parentheses regroup.
        guard case .and(let list) = try syntax("doc.a && (doc.b && doc.c) && !(doc.d || doc.e)") else {
            Issue.record("expected and"); return
        }
        #expect(list.count == 4)
        #expect(list[3] == .not(.or([.truthy(doc("d", 32)), .truthy(doc("e", 41))]), .init(line: 1, column: 30)))
    }

    @Test func existsAndConstants() throws {
        #expect(try syntax("exists(doc.a.b)") == .exists(FieldPath(["a", "b"]), .init(line: 1, column: 1)))
        #expect(try syntax("true") == .constant(true, .init(line: 1, column: 1)))
        #expect(try syntax("(false)") == .constant(false, .init(line: 1, column: 2)))
    }

    @Test func fieldPathIndexes() {
        let path = FieldPath(["a", "0", "01", "b", "12"])
        #expect(path.dotted == "a.0.01.b.12")
        #expect(path.components.map(\.index) == [nil, 0, 1, nil, 12])
    }

    @Test func userReferences() throws {
        let tree = try syntax("user.id == user.tenant_id or user.roles contains user.claims.org.name")
        guard case .or(let list) = tree, case .comparison(_, let l, let r, _) = list[0],
              case .comparison(_, let l2, let r2, _) = list[1] else { Issue.record("shape"); return }
        #expect(l.operand == .user(.id))
        #expect(r.operand == .user(.tenantId))
        #expect(l2.operand == .user(.roles))
        #expect(r2.operand == .user(.claim(["org", "name"])))
    }

    @Test(arguments: [
        ("", 1, 1, "empty expression"),
        ("   \n  ", 1, 1, "empty expression"),
        ("doc.a == ", 1, 10, "unexpected end of expression"),
        ("doc.a and", 1, 10, "unexpected end of expression"),
        ("foo.bar == 1", 1, 1, "unknown identifier 'foo'"),
        ("owner == 1", 1, 1, "unknown identifier 'owner'"),
        ("doc == 1", 1, 1, "'doc' needs a field path"),
        ("user == 1", 1, 1, "'user' needs a member"),
        ("doc.a == 1 or\n  user.name == 'x'", 2, 8, "unknown user member 'name'"),
        ("user.claims == 1", 1, 6, "claim name"),
        ("user.id.x == 1", 1, 6, "user.id has no members"),
        ("(doc.a == 1", 1, 1, "unbalanced parentheses"),
        ("doc.a == 1)", 1, 11, "unbalanced parentheses"),
        ("(doc.a == 1 doc.b", 1, 13, "expected ')'"),
        ("()", 1, 2, "empty parentheses"),
        ("doc.a == 1 doc.b", 1, 12, "after the end of the expression"),
        ("doc.a == 1 == 2", 1, 12, "cannot be chained"),
        ("exists(user.id)", 1, 8, "exists() takes a document path"),
        ("exists('a')", 1, 8, "exists() takes a document path"),
        ("exists doc.a", 1, 8, "'(' after 'exists'"),
        ("exists(doc.a", 1, 7, "unbalanced parentheses"),
        ("exists()", 1, 8, "document path"),
        ("'x'", 1, 1, "is a value, not a condition"),
        ("doc.a == 1 and 42", 1, 16, "is a value, not a condition"),
        ("user.roles", 1, 1, "user.roles is a list"),
        ("[doc.a] contains 1", 1, 2, "array elements must be literals"),
        ("doc.a in [1, 2", 1, 10, "unterminated array"),
        ("doc.a in [1 2]", 1, 13, "expected ',' or ']'"),
        ("doc.a == and", 1, 10, "unexpected 'and'"),
        ("doc.a == 1 'x'", 1, 12, "unexpected string 'x' after the end of the expression"),
        ("exists(\"a\")", 1, 8, "not string \"a\""),
        ("not in [1]", 1, 1, "not in"),
        ("(doc.a == 1) == true", 1, 14, "must be a value, not a condition"),
        ("doc.a == (doc.b == 1)", 1, 7, "must be a value, not a condition"),
        ("doc.a ==\n\n    )", 3, 5, "unbalanced parentheses"),
    ])
    func errors(source: String, line: Int, column: Int, message: String) {
        guard let error = parseError(source) else { return }
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test(arguments: [
        ("doc.a == doc.b", 1, 7, "cannot compare two document fields (doc.a == doc.b): not expressible as a MongoDB filter"),
        ("doc.x == 1 and\n\tdoc.b < doc.c", 2, 8, "cannot compare two document fields"),
        ("doc.a in doc.b", 1, 7, "cannot compare two document fields"),
        ("doc.a not in doc.b", 1, 7, "cannot compare two document fields"),
        ("doc.tags contains doc.x", 1, 10, "cannot compare two document fields"),
        ("doc.a == user.roles", 1, 10, "user.roles is a list"),
        ("user.roles != doc.a", 1, 1, "user.roles is a list"),
        ("doc.a < [1]", 1, 9, "cannot order-compare a list"),
        ("user.roles >= 'a'", 1, 1, "cannot order-compare a list"),
        ("doc.a in 'x'", 1, 10, "'in' needs a list on its right"),
        ("doc.a in user.id", 1, 10, "'in' needs a list on its right"),
        ("'x' in user.tenant_id", 1, 8, "'in' needs a list on its right"),
        ("user.id contains doc.a", 1, 1, "'contains' needs a list on its left"),
        ("doc.tags contains [1]", 1, 19, "is a list"),
        ("user.roles in doc.tags", 1, 1, "is a list"),
    ])
    func notCompilable(source: String, line: Int, column: Int, message: String) {
        guard let error = parseError(source) else { return }
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func errorDescription() {
        #expect(parseError("doc.a ==")?.description == "1:9: unexpected end of expression: expected a value or a condition")
    }

    /// Nesting is bounded (a fuzzer found 500 `(` overflowing the stack): 64 levels of
    /// parentheses, `not` and arrays parse; one more is a syntax error at the opening token.
    @Test func nestingIsBounded() throws {
        let deepest = String(repeating: "(", count: 64) + "doc.a == 1" + String(repeating: ")", count: 64)
        #expect(parse(deepest) != nil)
        #expect(parse(String(repeating: "not ", count: 64) + "doc.a") != nil)
        #expect(parse("doc.a in " + String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) != nil)
        let message = "nested too deeply: more than 64 levels of parentheses, 'not' and arrays"
        #expect(parseError(String(repeating: "(", count: 65) + "doc.a == 1" + String(repeating: ")", count: 65))?.description
                == "1:65: " + message)
        #expect(parseError(String(repeating: "! ", count: 65) + "doc.a")?.description == "1:129: " + message)
        #expect(parseError("doc.a in " + String(repeating: "[", count: 65))?.description == "1:74: " + message)
        #expect(parseError(String(repeating: "(", count: 100_000))?.description == "1:65: " + message)
    }
}
