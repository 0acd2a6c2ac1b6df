import PMBSON

/// Where a comparison value comes from once the document side is set apart.
enum ValueSource: Sendable, Equatable {
    case literal(BSON)
    case user(UserReference)

    var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }

    /// The value for this caller. An absent claim reads as `null`.
    func resolve(_ user: PolicyUser) -> BSON {
        switch self {
        case .literal(let value): return value
        case .user(.id): return .string(user.id)
        case .user(.tenantId): return .string(user.tenantId)
        case .user(.roles): return .array(user.roles.map { .string($0) })
        case .user(.claim(let path)): return ValueSource.claim(path, in: user.claims)
        }
    }

    /// Plain navigation: documents by key, arrays by numeric index; anything else is `null`.
    static func claim(_ path: [String], in claims: BSONDocument) -> BSON {
        var current: BSON = .document(claims)
        for segment in path {
            switch current {
            case .document(let d):
                guard let next = d[segment] else { return .null }
                current = next
            case .array(let a):
                guard let i = Int(segment), i >= 0, i < a.count else { return .null }
                current = a[i]
            default:
                return .null
            }
        }
        return current
    }

    /// The members of a list operand (right side of `in`): an array's elements;
    /// `null` (absent claim) is the empty list; any other single value is a one-element list.
    static func listMembers(_ value: BSON) -> [BSON] {
        switch value {
        case .array(let elements): elements
        case .null: []
        default: [value]
        }
    }
}

enum FieldOperator: Sendable, Equatable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, `in`, notIn, exists
}

/// A condition on one document path, compiled to one `{path: ...}` filter clause.
struct FieldCondition: Sendable, Equatable {
    var path: FieldPath
    var op: FieldOperator
    /// Unused for `.exists`.
    var value: ValueSource
}

/// A comparison with no document side: a constant once the caller is known.
/// When one side is a literal it is on the right.
struct UserCondition: Sendable, Equatable {
    /// `.equal`, `.notEqual`, the orderings, `.in` or `.notIn`.
    var op: ComparisonOperator
    var left: ValueSource
    var right: ValueSource
}

/// The checked, normalized condition both back ends work from. Built once by `Checker`.
indirect enum PolicyNode: Sendable, Equatable {
    case constant(Bool)
    case and([PolicyNode])
    case or([PolicyNode])
    case not(PolicyNode)
    case field(FieldCondition)
    case user(UserCondition)

    /// The first component of every document path the condition reads, each once.
    var documentFields: [String] {
        var names: [String] = []
        collectDocumentFields(into: &names)
        return names
    }

    private func collectDocumentFields(into names: inout [String]) {
        switch self {
        case .constant, .user: break
        case .and(let list), .or(let list): for node in list { node.collectDocumentFields(into: &names) }
        case .not(let node): node.collectDocumentFields(into: &names)
        case .field(let f):
            if let first = f.path.components.first?.name, !names.contains(first) { names.append(first) }
        }
    }

    var referencesUser: Bool {
        switch self {
        case .constant: false
        case .and(let list), .or(let list): list.contains { $0.referencesUser }
        case .not(let node): node.referencesUser
        case .field(let f): !f.value.isLiteral
        case .user: true
        }
    }

    // MARK: simplification (used by the checker and the compiler's constant folding)

    static func makeAnd(_ operands: [PolicyNode]) -> PolicyNode {
        var kept: [PolicyNode] = []
        for operand in operands {
            switch operand {
            case .constant(true): continue
            case .constant(false): return .constant(false)
            case .and(let inner): kept += inner
            default: kept.append(operand)
            }
        }
        if kept.isEmpty { return .constant(true) }
        return kept.count == 1 ? kept[0] : .and(kept)
    }

    static func makeOr(_ operands: [PolicyNode]) -> PolicyNode {
        var kept: [PolicyNode] = []
        for operand in operands {
            switch operand {
            case .constant(false): continue
            case .constant(true): return .constant(true)
            case .or(let inner): kept += inner
            default: kept.append(operand)
            }
        }
        if kept.isEmpty { return .constant(false) }
        return kept.count == 1 ? kept[0] : .or(kept)
    }

    static func makeNot(_ operand: PolicyNode) -> PolicyNode {
        switch operand {
        case .constant(let b): .constant(!b)
        case .not(let inner): inner
        default: .not(operand)
        }
    }
}
