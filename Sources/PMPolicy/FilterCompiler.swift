import PMBSON

/// Compiles a checked condition to a MongoDB query document for one caller:
/// `user.*` values are substituted and conditions without a document side are
/// folded to constants. Uses only `$eq $ne $lt $lte $gt $gte $in $nin $exists
/// $and $or $nor` (never `$expr`).
///
/// Constants: always true is `{}`; always false is `{"_id": {"$exists": false}}`
/// (every stored document has an `_id`).
enum FilterCompiler {
    static let alwaysTrue = BSONDocument()
    static let alwaysFalse = BSONDocument(["_id": .document(BSONDocument(["$exists": .bool(false)]))])

    enum Output: Equatable {
        case constant(Bool)
        case filter(BSONDocument)
    }

    static func compile(_ node: PolicyNode, user: PolicyUser) -> BSONDocument {
        switch build(node, user: user) {
        case .constant(true): alwaysTrue
        case .constant(false): alwaysFalse
        case .filter(let document): document
        }
    }

    static func build(_ node: PolicyNode, user: PolicyUser) -> Output {
        switch node {
        case .constant(let b):
            return .constant(b)
        case .user(let condition):
            return .constant(Evaluator.evaluate(condition, user: user))
        case .field(let condition):
            return .filter(clause(condition, user: user))
        case .and(let operands):
            return combine(operands, user: user, key: "$and", absorbing: false)
        case .or(let operands):
            return combine(operands, user: user, key: "$or", absorbing: true)
        case .not(let operand):
            switch build(operand, user: user) {
            case .constant(let b):
                return .constant(!b)
            case .filter(let document):
                if let list = soleOperator(document, "$or") { return .filter(BSONDocument(["$nor": .array(list)])) }
                if let list = soleOperator(document, "$nor"), list.count == 1, case .document(let inner) = list[0] {
                    return .filter(inner)
                }
                return .filter(BSONDocument(["$nor": .array([.document(document)])]))
            }
        }
    }

    /// `$and` / `$or` of the operands, dropping neutral constants, stopping at an
    /// absorbing one and splicing nested lists of the same operator.
    private static func combine(_ operands: [PolicyNode], user: PolicyUser, key: String, absorbing: Bool) -> Output {
        var clauses: [BSON] = []
        for operand in operands {
            switch build(operand, user: user) {
            case .constant(let b):
                if b == absorbing { return .constant(absorbing) }
            case .filter(let document):
                if let nested = soleOperator(document, key) {
                    clauses += nested
                } else {
                    clauses.append(.document(document))
                }
            }
        }
        if clauses.isEmpty { return .constant(!absorbing) }
        if clauses.count == 1, case .document(let only) = clauses[0] { return .filter(only) }
        return .filter(BSONDocument([key: .array(clauses)]))
    }

    /// The list of a document that is exactly `{key: [...]}`. Field paths never start
    /// with `$`, so such a document is always one this compiler made.
    private static func soleOperator(_ document: BSONDocument, _ key: String) -> [BSON]? {
        guard document.count == 1, document.elements[0].key == key,
              case .array(let list) = document.elements[0].value else { return nil }
        return list
    }

    private static func op(_ path: FieldPath, _ name: String, _ value: BSON) -> BSONDocument {
        BSONDocument([path.dotted: .document(BSONDocument([name: value]))])
    }

    private static func isRegex(_ value: BSON) -> Bool {
        if case .regex = value { return true }
        return false
    }

    static func clause(_ condition: FieldCondition, user: PolicyUser) -> BSONDocument {
        let path = condition.path
        let value = condition.value.resolve(user)
        switch condition.op {
        case .exists:
            return op(path, "$exists", .bool(true))
        case .equal:
            // A document or regex value as `{path: v}` would read as operators / a pattern.
            switch value {
            case .document, .regex: return op(path, "$eq", value)
            default: return BSONDocument([path.dotted: value])
            }
        case .notEqual:
            // MongoDB refuses a regex under $ne.
            if isRegex(value) { return BSONDocument(["$nor": .array([.document(op(path, "$eq", value))])]) }
            return op(path, "$ne", value)
        case .less: return op(path, "$lt", value)
        case .lessOrEqual: return op(path, "$lte", value)
        case .greater: return op(path, "$gt", value)
        case .greaterOrEqual: return op(path, "$gte", value)
        case .in, .notIn:
            let members = ValueSource.listMembers(value)
            let negated = condition.op == .notIn
            guard members.contains(where: isRegex) else {
                return op(path, negated ? "$nin" : "$in", .array(members))
            }
            // A regex inside $in is a pattern match; test regex members with $eq instead.
            var parts: [BSON] = []
            let plain = members.filter { !isRegex($0) }
            if !plain.isEmpty { parts.append(.document(op(path, "$in", .array(plain)))) }
            for member in members where isRegex(member) { parts.append(.document(op(path, "$eq", member))) }
            if negated { return BSONDocument(["$nor": .array(parts)]) }
            if parts.count == 1, case .document(let only) = parts[0] { return only }
            return BSONDocument(["$or": .array(parts)])
        }
    }
}
