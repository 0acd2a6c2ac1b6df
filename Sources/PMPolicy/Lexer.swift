import PMBSON

/// A 1-based position in the expression source. Columns count Unicode scalars.
struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    static let start = SourcePosition(line: 1, column: 1)

    var description: String { "\(line):\(column)" }
}

/// The lexical tokens of the `when` language.
enum TokenKind: Sendable, Equatable {
    /// A single word: a keyword (`and`, `or`, `not`, `in`, `contains`, `true`,
    /// `false`, `null`, `exists`) or a bare name such as `doc` or `user`.
    case word(String)
    /// Two or more dot-separated segments: `doc.a.b`, `user.claims.org`.
    case path([String])
    case string(String)
    /// A number literal already typed: `.int32`, `.int64` or `.double`.
    case number(BSON)
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case andAnd, orOr, bang
    case leftParen, rightParen, leftBracket, rightBracket, comma
    case end
}

struct Token: Sendable, Equatable {
    var kind: TokenKind
    var position: SourcePosition
    /// The source spelling, for messages.
    var text: String

    func isWord(_ word: String) -> Bool { kind == .word(word) }

    /// How the token is named in error messages.
    var quoted: String {
        switch kind {
        case .end: "end of expression"
        case .string: "string \(text)"
        default: "'\(text)'"
        }
    }
}

/// Turns expression source into tokens with positions. Always ends with `.end`.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(PolicySyntaxError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func advance() {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" || (scalar == "\r" && peek() != "\n") {
            line += 1
            column = 1
        } else if scalar == "\r" {
            // "\r\n": the "\n" ends the line.
        } else {
            column += 1
        }
    }

    private func text(from start: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<index])
        return String(s)
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || isDigit(c)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    private func error(_ at: SourcePosition, _ message: String) -> PolicySyntaxError {
        PolicySyntaxError(line: at.line, column: at.column, message: message)
    }

    mutating func next() throws(PolicySyntaxError) -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
        let start = position
        let startIndex = index
        guard let c = peek() else { return Token(kind: .end, position: start, text: "") }

        func single(_ kind: TokenKind) -> Token {
            advance()
            return Token(kind: kind, position: start, text: String(c))
        }
        func double(_ kind: TokenKind, _ spelling: String) -> Token {
            advance(); advance()
            return Token(kind: kind, position: start, text: spelling)
        }

        switch c {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case ",": return single(.comma)
        case "=":
            if peek(1) == "=" { return double(.equal, "==") }
            throw error(start, "unexpected '=': use '==' to compare")
        case "!":
            if peek(1) == "=" { return double(.notEqual, "!=") }
            return single(.bang)
        case "<":
            if peek(1) == "=" { return double(.lessEqual, "<=") }
            return single(.less)
        case ">":
            if peek(1) == "=" { return double(.greaterEqual, ">=") }
            return single(.greater)
        case "&":
            if peek(1) == "&" { return double(.andAnd, "&&") }
            throw error(start, "unexpected '&': use '&&' or 'and'")
        case "|":
            if peek(1) == "|" { return double(.orOr, "||") }
            throw error(start, "unexpected '|': use '||' or 'or'")
        case "\"", "'":
            return try lexString(quote: c, start: start, startIndex: startIndex)
        case "-":
            guard let d = peek(1), Lexer.isDigit(d) else {
                throw error(start, "unexpected '-': only number literals may be negative")
            }
            return try lexNumber(start: start, startIndex: startIndex)
        default:
            if Lexer.isDigit(c) { return try lexNumber(start: start, startIndex: startIndex) }
            if Lexer.isIdentifierStart(c) { return try lexWordOrPath(start: start, startIndex: startIndex) }
            throw error(start, "unexpected character '\(c)'")
        }
    }

    private mutating func lexWordOrPath(start: SourcePosition, startIndex: Int) throws(PolicySyntaxError) -> Token {
        var segments: [String] = []
        var segmentStart = index
        while let c = peek(), Lexer.isIdentifierPart(c) { advance() }
        segments.append(text(from: segmentStart))
        while peek() == "." {
            let dot = position
            advance()
            segmentStart = index
            while let c = peek(), Lexer.isIdentifierPart(c) { advance() }
            if index == segmentStart {
                let found = peek().map { "'\($0)'" } ?? "end of expression"
                throw error(dot, "expected a field name after '.', found \(found)")
            }
            segments.append(text(from: segmentStart))
        }
        let spelling = text(from: startIndex)
        if segments.count == 1 { return Token(kind: .word(spelling), position: start, text: spelling) }
        return Token(kind: .path(segments), position: start, text: spelling)
    }

    private mutating func lexNumber(start: SourcePosition, startIndex: Int) throws(PolicySyntaxError) -> Token {
        if peek() == "-" { advance() }
        while let c = peek(), Lexer.isDigit(c) { advance() }
        var isDecimal = false
        if peek() == "." {
            guard let d = peek(1), Lexer.isDigit(d) else {
                advance()
                throw error(start, "malformed number '\(text(from: startIndex))': expected digits after '.'")
            }
            isDecimal = true
            advance()
            while let c = peek(), Lexer.isDigit(c) { advance() }
        }
        if peek() == "e" || peek() == "E" {
            var offset = 1
            if peek(1) == "+" || peek(1) == "-" { offset = 2 }
            guard let d = peek(offset), Lexer.isDigit(d) else {
                for _ in 0..<offset { advance() }
                throw error(start, "malformed number '\(text(from: startIndex))': expected exponent digits")
            }
            isDecimal = true
            for _ in 0..<offset { advance() }
            while let c = peek(), Lexer.isDigit(c) { advance() }
        }
        if let c = peek(), Lexer.isIdentifierPart(c) || c == "." {
            advance()
            throw error(start, "malformed number '\(text(from: startIndex))'")
        }
        let spelling = text(from: startIndex)
        if isDecimal {
            guard let value = Double(spelling), value.isFinite else {
                throw error(start, "number literal '\(spelling)' is out of range")
            }
            return Token(kind: .number(.double(value)), position: start, text: spelling)
        }
        guard let value = Int64(spelling) else {
            throw error(start, "integer literal '\(spelling)' is out of range (64-bit)")
        }
        let bson: BSON = Int32(exactly: value).map { .int32($0) } ?? .int64(value)
        return Token(kind: .number(bson), position: start, text: spelling)
    }

    private mutating func lexString(quote: Unicode.Scalar, start: SourcePosition, startIndex: Int) throws(PolicySyntaxError) -> Token {
        advance()  // opening quote
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n", c != "\r" else {
                throw error(start, "unterminated string: missing closing \(quote)")
            }
            if c == quote {
                advance()
                return Token(kind: .string(String(value)), position: start, text: text(from: startIndex))
            }
            if c != "\\" {
                value.append(c)
                advance()
                continue
            }
            let escape = position
            advance()
            guard let e = peek(), e != "\n", e != "\r" else {
                throw error(start, "unterminated string: missing closing \(quote)")
            }
            advance()
            switch e {
            case "\\": value.append("\\")
            case "'": value.append("'")
            case "\"": value.append("\"")
            case "/": value.append("/")
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "b": value.append("\u{08}")
            case "f": value.append("\u{0C}")
            case "0": value.append("\u{00}")
            case "u":
                let high = try hex4(escape)
                if (0xD800...0xDBFF).contains(high) {
                    guard peek() == "\\", peek(1) == "u" else {
                        throw error(escape, "invalid escape: unpaired surrogate \\u\(String(high, radix: 16))")
                    }
                    let lowEscape = position
                    advance(); advance()
                    let low = try hex4(lowEscape)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error(escape, "invalid escape: unpaired surrogate \\u\(String(high, radix: 16))")
                    }
                    let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    value.append(Unicode.Scalar(combined)!)
                } else if let scalar = Unicode.Scalar(high) {
                    value.append(scalar)
                } else {
                    throw error(escape, "invalid escape: unpaired surrogate \\u\(String(high, radix: 16))")
                }
            default:
                throw error(escape, "invalid escape '\\\(e)' in string")
            }
        }
    }

    private mutating func hex4(_ escape: SourcePosition) throws(PolicySyntaxError) -> UInt32 {
        var result: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), c.isASCII, c != "+", c != "-", let digit = UInt32(String(c), radix: 16) else {
                throw error(escape, "invalid escape: \\u needs four hexadecimal digits")
            }
            result = result << 4 | digit
            advance()
        }
        return result
    }
}
