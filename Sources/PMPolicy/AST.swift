import PMBSON

/// A dotted path into the document, split once at parse time.
struct FieldPath: Sendable, Equatable {
    struct Component: Sendable, Equatable {
        var name: String
        /// The array index this component also denotes, when it is all digits (`a.0.b`).
        var index: Int?
    }

    var dotted: String
    var components: [Component]

    init(_ segments: [String]) {
        dotted = segments.joined(separator: ".")
        components = segments.map { segment in
            // All digits (leading zeros too, as SecantusDB reads `a.00`); too long for Int: a name only.
            let isIndex = !segment.isEmpty && segment.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            return Component(name: segment, index: isIndex ? Int(segment) : nil)
        }
    }
}

/// What `user.*` refers to.
enum UserReference: Sendable, Equatable {
    case id
    case tenantId
    case roles
    /// `user.claims.<path>`; an absent claim reads as `null`.
    case claim([String])
}

/// A value operand of a comparison.
enum Operand: Sendable, Equatable {
    case document(FieldPath)
    case user(UserReference)
    case literal(BSON)
}

struct OperandNode: Sendable, Equatable {
    var operand: Operand
    var position: SourcePosition
    /// Source spelling, for messages.
    var text: String
}

enum ComparisonOperator: String, Sendable, Equatable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case `in` = "in"
    case notIn = "not in"
    case contains = "contains"

    var isOrdering: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }

    /// `a op b` ⇔ `b flipped a`, for the ordering and equality operators.
    var flipped: ComparisonOperator {
        switch self {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: self
        }
    }
}

/// The syntax tree produced by the parser: a boolean condition.
indirect enum Expression: Sendable, Equatable {
    case constant(Bool, SourcePosition)
    /// A bare operand used as a condition (`doc.active`): means `operand == true`.
    case truthy(OperandNode)
    case comparison(ComparisonOperator, OperandNode, OperandNode, operatorPosition: SourcePosition)
    case exists(FieldPath, SourcePosition)
    case not(Expression, SourcePosition)
    /// Two or more operands, flattened.
    case and([Expression])
    /// Two or more operands, flattened.
    case or([Expression])
}
