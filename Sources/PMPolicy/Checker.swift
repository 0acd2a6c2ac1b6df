import PMBSON

/// Turns the syntax tree into a `PolicyNode`: separates the document side of each
/// comparison, flips comparisons with the document on the right, rejects whatever
/// cannot become a MongoDB filter (with its position), and folds literal-only parts.
enum Checker {
    static func check(_ expression: Expression) throws(PolicySyntaxError) -> PolicyNode {
        switch expression {
        case .constant(let b, _):
            return .constant(b)
        case .truthy(let node):
            return try truthy(node)
        case .comparison(let op, let lhs, let rhs, let position):
            return try comparison(op, lhs, rhs, position)
        case .exists(let path, _):
            return .field(FieldCondition(path: path, op: .exists, value: .literal(.null)))
        case .not(let operand, _):
            return PolicyNode.makeNot(try check(operand))
        case .and(let operands):
            var nodes: [PolicyNode] = []
            for operand in operands { nodes.append(try check(operand)) }
            return PolicyNode.makeAnd(nodes)
        case .or(let operands):
            var nodes: [PolicyNode] = []
            for operand in operands { nodes.append(try check(operand)) }
            return PolicyNode.makeOr(nodes)
        }
    }

    private static func error(_ at: SourcePosition, _ message: String) -> PolicySyntaxError {
        PolicySyntaxError(line: at.line, column: at.column, message: message)
    }

    /// Bare operand as a condition: `doc.active` means `doc.active == true`.
    private static func truthy(_ node: OperandNode) throws(PolicySyntaxError) -> PolicyNode {
        switch node.operand {
        case .document(let path):
            return .field(FieldCondition(path: path, op: .equal, value: .literal(.bool(true))))
        case .user(.roles):
            throw error(node.position, "user.roles is a list, not a condition: use e.g. user.roles contains \"admin\"")
        case .user(let reference):
            return .user(UserCondition(op: .equal, left: .user(reference), right: .literal(.bool(true))))
        case .literal(let value):
            if case .bool(let b) = value { return .constant(b) }
            throw error(node.position, "\(node.text) is a value, not a condition")
        }
    }

    private static func source(_ node: OperandNode) -> ValueSource {
        switch node.operand {
        case .literal(let value): return .literal(value)
        case .user(let reference): return .user(reference)
        case .document: fatalError("document operands have no value source")
        }
    }

    private static func isList(_ node: OperandNode) -> Bool {
        switch node.operand {
        case .literal(.array), .user(.roles): true
        default: false
        }
    }

    /// Operands that may hold a list at run time: array literals, `user.roles`, claims.
    private static func mayBeList(_ node: OperandNode) -> Bool {
        switch node.operand {
        case .literal(.array), .user(.roles), .user(.claim): true
        default: false
        }
    }

    private static func comparison(
        _ op: ComparisonOperator, _ lhs: OperandNode, _ rhs: OperandNode, _ position: SourcePosition
    ) throws(PolicySyntaxError) -> PolicyNode {
        if case .document = lhs.operand, case .document = rhs.operand {
            throw error(position, "cannot compare two document fields (\(lhs.text) \(op.rawValue) \(rhs.text)): not expressible as a MongoDB filter")
        }
        switch op {
        case .contains:
            // `A contains B` is `B in A`.
            return try membership(element: rhs, list: lhs, negated: false, spelling: op, position)
        case .in, .notIn:
            return try membership(element: lhs, list: rhs, negated: op == .notIn, spelling: op, position)
        default:
            return try ordered(op, lhs, rhs, position)
        }
    }

    private static func membership(
        element: OperandNode, list: OperandNode, negated: Bool, spelling: ComparisonOperator, _ position: SourcePosition
    ) throws(PolicySyntaxError) -> PolicyNode {
        if case .document(let path) = list.operand {
            // "value in doc.tags": the array field holds the value, MongoDB's {tags: value}.
            if isList(element) {
                throw error(element.position, "\(element.text) is a list: '\(spelling.rawValue)' with document field \(list.text) needs a single value")
            }
            return .field(FieldCondition(path: path, op: negated ? .notEqual : .equal, value: source(element)))
        }
        guard mayBeList(list) else {
            let side = spelling == .contains ? "left" : "right"
            throw error(list.position, "'\(spelling.rawValue)' needs a list on its \(side) (an array literal, user.roles or user.claims.<name>), not \(list.text)")
        }
        if case .document(let path) = element.operand {
            return .field(FieldCondition(path: path, op: negated ? .notIn : .in, value: source(list)))
        }
        return fold(UserCondition(op: negated ? .notIn : .in, left: source(element), right: source(list)))
    }

    private static func ordered(
        _ op: ComparisonOperator, _ lhs: OperandNode, _ rhs: OperandNode, _ position: SourcePosition
    ) throws(PolicySyntaxError) -> PolicyNode {
        if op.isOrdering {
            for node in [lhs, rhs] where isList(node) {
                throw error(node.position, "cannot order-compare a list (\(node.text)) with '\(op.rawValue)'")
            }
        }
        switch (lhs.operand, rhs.operand) {
        case (.document(let path), _):
            try rejectWholeRoles(rhs, op, path)
            return .field(FieldCondition(path: path, op: fieldOperator(op), value: source(rhs)))
        case (_, .document(let path)):
            try rejectWholeRoles(lhs, op, path)
            return .field(FieldCondition(path: path, op: fieldOperator(op.flipped), value: source(lhs)))
        default:
            var left = source(lhs), right = source(rhs), op = op
            if left.isLiteral && !right.isLiteral {
                swap(&left, &right)
                op = op.flipped
            }
            return fold(UserCondition(op: op, left: left, right: right))
        }
    }

    private static func rejectWholeRoles(_ node: OperandNode, _ op: ComparisonOperator, _ path: FieldPath) throws(PolicySyntaxError) {
        if case .user(.roles) = node.operand {
            throw error(node.position, "user.roles is a list: use 'doc.\(path.dotted) in user.roles' instead of '\(op.rawValue)'")
        }
    }

    private static func fieldOperator(_ op: ComparisonOperator) -> FieldOperator {
        switch op {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessOrEqual
        case .greater: .greater
        case .greaterEqual: .greaterOrEqual
        case .in: .in
        case .notIn: .notIn
        case .contains: fatalError("contains is rewritten to in")
        }
    }

    /// Literal-only comparisons are decided now.
    private static func fold(_ condition: UserCondition) -> PolicyNode {
        guard condition.left.isLiteral, condition.right.isLiteral else { return .user(condition) }
        return .constant(Evaluator.evaluate(condition, user: Evaluator.nobody))
    }
}
