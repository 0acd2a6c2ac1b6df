import PMBSON
@testable import PMPolicy
import Testing

@Suite struct LexerTests {
    private func kinds(_ source: String) throws -> [TokenKind] {
        try Lexer.tokenize(source).map(\.kind)
    }

    @Test func tokensAndPositions() throws {
        let tokens = try Lexer.tokenize("doc.a.b >= -1.5e2 &&\n  'x\\n' != [1, true]")
        #expect(tokens.map(\.kind) == [
            .path(["doc", "a", "b"]), .greaterEqual, .number(.double(-150)), .andAnd,
            .string("x\n"), .notEqual, .leftBracket, .number(.int32(1)), .comma, .word("true"), .rightBracket, .end,
        ])
        #expect(tokens.map(\.position) == [
            SourcePosition(line: 1, column: 1), SourcePosition(line: 1, column: 9), SourcePosition(line: 1, column: 12),
            SourcePosition(line: 1, column: 19), SourcePosition(line: 2, column: 3), SourcePosition(line: 2, column: 9),
            SourcePosition(line: 2, column: 12), SourcePosition(line: 2, column: 13), SourcePosition(line: 2, column: 14),
            SourcePosition(line: 2, column: 16), SourcePosition(line: 2, column: 20), SourcePosition(line: 2, column: 21),
        ])
    }

    @Test func operators() throws {
        #expect(try kinds("== != < <= > >= && || ! ( ) [ ] ,") == [
            .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .andAnd, .orOr, .bang,
            .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .end,
        ])
        #expect(try kinds("a<=b") == [.word("a"), .lessEqual, .word("b"), .end])
        #expect(try kinds("!doc.x") == [.bang, .path(["doc", "x"]), .end])
    }

    @Test func numbers() throws {
        #expect(try kinds("0 42 -7 2147483647 2147483648 -2147483648 -2147483649") == [
            .number(.int32(0)), .number(.int32(42)), .number(.int32(-7)), .number(.int32(2_147_483_647)),
            .number(.int64(2_147_483_648)), .number(.int32(-2_147_483_648)), .number(.int64(-2_147_483_649)), .end,
        ])
        #expect(try kinds("1.5 -0.25 1e3 2E-2 9223372036854775807") == [
            .number(.double(1.5)), .number(.double(-0.25)), .number(.double(1000)), .number(.double(0.02)),
            .number(.int64(.max)), .end,
        ])
    }

    @Test func strings() throws {
        #expect(try kinds(#"'it\'s' "say \"hi\"" "a\\b" '\u00e9\t' "\ud83d\ude00" "x'y" 'x"y'"#) == [
            .string("it's"), .string("say \"hi\""), .string("a\\b"), .string("é\t"), .string("😀"),
            .string("x'y"), .string("x\"y"), .end,
        ])
    }

    @Test func pathsAndWords() throws {
        #expect(try kinds("doc.a_1.0.B user.claims.org and doc.in") == [
            .path(["doc", "a_1", "0", "B"]), .path(["user", "claims", "org"]), .word("and"), .path(["doc", "in"]), .end,
        ])
    }

    @Test func crlfCountsAsOneLine() throws {
        let tokens = try Lexer.tokenize("doc.a\r\n== 1\rand")
        #expect(tokens.map(\.position) == [
            SourcePosition(line: 1, column: 1), SourcePosition(line: 2, column: 1), SourcePosition(line: 2, column: 4),
            SourcePosition(line: 3, column: 1), SourcePosition(line: 3, column: 4),
        ])
    }

    @Test(arguments: [
        ("doc.a == 'abc", 1, 10, "unterminated string"),
        ("doc.a ==\n  \"abc\n\"", 2, 3, "unterminated string"),
        ("doc.a == 'a\\qb'", 1, 12, "invalid escape '\\q'"),
        ("doc.a == '\\u12'", 1, 11, "four hexadecimal digits"),
        ("doc.a == '\\ud800'", 1, 11, "unpaired surrogate"),
        ("doc.a = 1", 1, 7, "use '=='"),
        ("doc.a == 1 & doc.b", 1, 12, "'&&'"),
        ("doc.a == 1 | doc.b", 1, 12, "'||'"),
        ("doc.a == $x", 1, 10, "unexpected character '$'"),
        ("doc.a == 1.", 1, 10, "malformed number"),
        ("doc.a == 1e", 1, 10, "malformed number"),
        ("doc.a == 12ab", 1, 10, "malformed number"),
        ("doc.a == - 1", 1, 10, "unexpected '-'"),
        ("doc. == 1", 1, 4, "expected a field name after '.'"),
        ("doc.a. == 1", 1, 6, "expected a field name after '.'"),
        ("doc.a == 99999999999999999999", 1, 10, "out of range"),
        ("doc.a == 1e999", 1, 10, "out of range"),
        ("doc.x == 'é' and\n\t doc.y == @", 2, 12, "unexpected character '@'"),
    ])
    func errors(source: String, line: Int, column: Int, message: String) {
        guard let error = parseError(source) else { return }
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }
}
