import PMBSON

/// Recursive-descent parser for the `when` language.
///
///     expression := or
///     or         := and (("or" | "||") and)*
///     and        := not (("and" | "&&") not)*
///     not        := ("not" | "!") not | comparison
///     comparison := primary (compare-op primary)?
///     compare-op := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" | "contains"
///     primary    := "(" or ")" | literal | doc-path | user-ref | "exists" "(" doc-path ")"
///     literal    := string | number | "true" | "false" | "null" | "[" (literal ("," literal)*)? "]"
struct Parser {
    /// A parsed piece: still a plain value operand (it may become a comparison side) or a condition.
    private enum Parsed {
        case operand(OperandNode)
        case condition(Expression)
    }

    private let tokens: [Token]
    private var index = 0
    /// Parentheses, `not`s and arrays open around the current token.
    private var depth = 0
    /// More nesting than this is refused (the parser, checker and evaluator recurse).
    static let maxDepth = 64

    private init(tokens: [Token]) { self.tokens = tokens }

    static func parse(_ source: String) throws(PolicySyntaxError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        return try parser.parseTop()
    }

    private static let keywords: Set<String> = ["and", "or", "not", "in", "contains", "true", "false", "null", "exists"]

    // MARK: helpers

    private var current: Token { tokens[index] }
    private func lookahead(_ n: Int) -> Token { tokens[min(index + n, tokens.count - 1)] }

    @discardableResult
    private mutating func consume() -> Token {
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    /// Counts one more level of nesting opened at `position`; pair with `depth -= 1`.
    private mutating func enterNesting(at position: SourcePosition) throws(PolicySyntaxError) {
        depth += 1
        if depth > Parser.maxDepth {
            throw error(position, "nested too deeply: more than \(Parser.maxDepth) levels of parentheses, 'not' and arrays")
        }
    }

    private func error(_ at: SourcePosition, _ message: String) -> PolicySyntaxError {
        PolicySyntaxError(line: at.line, column: at.column, message: message)
    }

    private func unexpected(_ token: Token, expecting: String? = nil) -> PolicySyntaxError {
        if token.kind == .rightParen {
            return error(token.position, "unbalanced parentheses: unexpected ')' without a matching '('")
        }
        if token.kind == .end {
            return error(token.position, "unexpected end of expression" + (expecting.map { ": expected \($0)" } ?? ""))
        }
        return error(token.position, "unexpected \(token.quoted)" + (expecting.map { ": expected \($0)" } ?? ""))
    }

    // MARK: grammar

    private mutating func parseTop() throws(PolicySyntaxError) -> Expression {
        if current.kind == .end { throw error(.start, "empty expression") }
        let result = try condition(parseOr())
        if current.kind != .end {
            if current.kind == .rightParen { throw unexpected(current) }
            throw error(current.position, "unexpected \(current.quoted) after the end of the expression")
        }
        return result
    }

    private mutating func parseOr() throws(PolicySyntaxError) -> Parsed {
        let first = try parseAnd()
        guard current.kind == .orOr || current.isWord("or") else { return first }
        var operands = try flatten(condition(first), or: true)
        while current.kind == .orOr || current.isWord("or") {
            consume()
            operands += try flatten(condition(parseAnd()), or: true)
        }
        return .condition(.or(operands))
    }

    private mutating func parseAnd() throws(PolicySyntaxError) -> Parsed {
        let first = try parseNot()
        guard current.kind == .andAnd || current.isWord("and") else { return first }
        var operands = try flatten(condition(first), or: false)
        while current.kind == .andAnd || current.isWord("and") {
            consume()
            operands += try flatten(condition(parseNot()), or: false)
        }
        return .condition(.and(operands))
    }

    private func flatten(_ expression: Expression, or: Bool) -> [Expression] {
        switch expression {
        case .or(let list) where or: list
        case .and(let list) where !or: list
        default: [expression]
        }
    }

    private mutating func parseNot() throws(PolicySyntaxError) -> Parsed {
        if current.kind == .bang || current.isWord("not") {
            let token = consume()
            if token.isWord("not") && current.isWord("in") {
                throw error(token.position, "unexpected 'not in': a value is needed on its left")
            }
            try enterNesting(at: token.position)
            defer { depth -= 1 }
            let operand = try condition(parseNot())
            return .condition(.not(operand, token.position))
        }
        return try parseComparison()
    }

    private func comparisonOperator() -> (ComparisonOperator, Int)? {
        switch current.kind {
        case .equal: return (.equal, 1)
        case .notEqual: return (.notEqual, 1)
        case .less: return (.less, 1)
        case .lessEqual: return (.lessEqual, 1)
        case .greater: return (.greater, 1)
        case .greaterEqual: return (.greaterEqual, 1)
        case .word("in"): return (.in, 1)
        case .word("contains"): return (.contains, 1)
        case .word("not") where lookahead(1).isWord("in"): return (.notIn, 2)
        default: return nil
        }
    }

    private mutating func parseComparison() throws(PolicySyntaxError) -> Parsed {
        let left = try parsePrimary()
        guard let (op, width) = comparisonOperator() else { return left }
        let opToken = current
        guard case .operand(let lhs) = left else {
            throw error(opToken.position, "the left side of '\(op.rawValue)' must be a value, not a condition")
        }
        for _ in 0..<width { consume() }
        let right = try parsePrimary()
        guard case .operand(let rhs) = right else {
            throw error(opToken.position, "the right side of '\(op.rawValue)' must be a value, not a condition")
        }
        if let (next, _) = comparisonOperator() {
            throw error(current.position, "comparisons cannot be chained: '\(next.rawValue)' after '\(op.rawValue)' (use 'and')")
        }
        return .condition(.comparison(op, lhs, rhs, operatorPosition: opToken.position))
    }

    private mutating func parsePrimary() throws(PolicySyntaxError) -> Parsed {
        let token = current
        switch token.kind {
        case .leftParen:
            consume()
            try enterNesting(at: token.position)
            defer { depth -= 1 }
            if current.kind == .rightParen { throw error(current.position, "empty parentheses") }
            let inner = try parseOr()
            guard current.kind == .rightParen else {
                if current.kind == .end {
                    throw error(token.position, "unbalanced parentheses: '(' is never closed")
                }
                throw error(current.position, "expected ')' to close '(' at \(token.position), found \(current.quoted)")
            }
            consume()
            return inner
        case .leftBracket:
            return .operand(try parseArray())
        case .string(let s):
            consume()
            return .operand(OperandNode(operand: .literal(.string(s)), position: token.position, text: token.text))
        case .number(let n):
            consume()
            return .operand(OperandNode(operand: .literal(n), position: token.position, text: token.text))
        case .word(let word):
            switch word {
            case "true", "false", "null":
                consume()
                let value: BSON = word == "null" ? .null : .bool(word == "true")
                return .operand(OperandNode(operand: .literal(value), position: token.position, text: word))
            case "exists":
                return .condition(try parseExists())
            case "doc":
                throw error(token.position, "'doc' needs a field path, e.g. doc.owner")
            case "user":
                throw error(token.position, "'user' needs a member: user.id, user.tenant_id, user.roles or user.claims.<name>")
            default:
                if Parser.keywords.contains(word) { throw unexpected(token, expecting: "a value or a condition") }
                throw error(token.position, "unknown identifier '\(word)': operands start with 'doc.' or 'user.'")
            }
        case .path(let segments):
            consume()
            return .operand(try reference(segments, token))
        default:
            throw unexpected(token, expecting: "a value or a condition")
        }
    }

    private mutating func parseExists() throws(PolicySyntaxError) -> Expression {
        let name = consume()
        guard current.kind == .leftParen else { throw unexpected(current, expecting: "'(' after 'exists'") }
        let open = consume()
        let argument = current
        guard case .path(let segments) = argument.kind, segments[0] == "doc" else {
            if argument.kind == .end || argument.kind == .rightParen {
                throw error(argument.position, "exists() needs a document path (doc.<field>)")
            }
            throw error(argument.position, "exists() takes a document path (doc.<field>), not \(argument.quoted)")
        }
        consume()
        guard current.kind == .rightParen else {
            if current.kind == .end { throw error(open.position, "unbalanced parentheses: '(' is never closed") }
            throw error(current.position, "expected ')' to close exists( at \(open.position), found \(current.quoted)")
        }
        consume()
        return .exists(FieldPath(Array(segments.dropFirst())), name.position)
    }

    private mutating func parseArray() throws(PolicySyntaxError) -> OperandNode {
        let open = consume()
        try enterNesting(at: open.position)
        defer { depth -= 1 }
        var elements: [BSON] = []
        if current.kind == .rightBracket {
            consume()
            return OperandNode(operand: .literal(.array([])), position: open.position, text: "[]")
        }
        while true {
            let element = current
            switch element.kind {
            case .leftBracket:
                let nested = try parseArray()
                guard case .literal(let value) = nested.operand else { fatalError("array literal is a literal") }
                elements.append(value)
            case .string(let s): consume(); elements.append(.string(s))
            case .number(let n): consume(); elements.append(n)
            case .word("true"): consume(); elements.append(.bool(true))
            case .word("false"): consume(); elements.append(.bool(false))
            case .word("null"): consume(); elements.append(.null)
            case .end:
                throw error(open.position, "unterminated array: '[' is never closed")
            case .path, .word:
                throw error(element.position, "array elements must be literals, not \(element.quoted)")
            default:
                throw unexpected(element, expecting: "a literal in the array")
            }
            switch current.kind {
            case .comma: consume()
            case .rightBracket:
                consume()
                return OperandNode(operand: .literal(.array(elements)), position: open.position, text: "[...]")
            case .end:
                throw error(open.position, "unterminated array: '[' is never closed")
            default:
                throw unexpected(current, expecting: "',' or ']'")
            }
        }
    }

    private func reference(_ segments: [String], _ token: Token) throws(PolicySyntaxError) -> OperandNode {
        let operand: Operand
        switch segments[0] {
        case "doc":
            operand = .document(FieldPath(Array(segments.dropFirst())))
        case "user":
            let member = segments[1]
            let memberColumn = SourcePosition(line: token.position.line, column: token.position.column + 5)
            switch member {
            case "id", "tenant_id", "roles":
                guard segments.count == 2 else {
                    throw error(memberColumn, "user.\(member) has no members ('\(token.text)')")
                }
                operand = .user(member == "id" ? .id : member == "roles" ? .roles : .tenantId)
            case "claims":
                guard segments.count > 2 else {
                    throw error(memberColumn, "user.claims needs a claim name, e.g. user.claims.org")
                }
                operand = .user(.claim(Array(segments.dropFirst(2))))
            default:
                throw error(memberColumn, "unknown user member '\(member)': expected id, tenant_id, roles or claims.<name>")
            }
        default:
            throw error(token.position, "unknown identifier '\(segments[0])': operands start with 'doc.' or 'user.'")
        }
        return OperandNode(operand: operand, position: token.position, text: token.text)
    }

    /// A parsed piece used as a condition. A bare `doc.x` / `user.*` means `== true`;
    /// a bare `true` / `false` is a constant; other bare literals are errors.
    private func condition(_ parsed: Parsed) throws(PolicySyntaxError) -> Expression {
        switch parsed {
        case .condition(let expression):
            return expression
        case .operand(let node):
            switch node.operand {
            case .literal(.bool(let b)):
                return .constant(b, node.position)
            case .literal:
                throw error(node.position, "\(node.text) is a value, not a condition")
            case .document, .user:
                return .truthy(node)
            }
        }
    }
}
