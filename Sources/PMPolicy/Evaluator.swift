import PMBSON

/// Decides a checked condition for one document and caller, with MongoDB query
/// semantics (see `MongoComparison` and `MongoFieldPath`), so that it agrees with
/// the filter `FilterCompiler` produces.
enum Evaluator {
    /// A caller for literal-only folding (no `user.*` is read).
    static let nobody = PolicyUser(id: "", tenantId: "", roles: [])

    static func evaluate(_ node: PolicyNode, document: BSONDocument, user: PolicyUser) -> Bool {
        switch node {
        case .constant(let b):
            return b
        case .and(let operands):
            for operand in operands where !evaluate(operand, document: document, user: user) { return false }
            return true
        case .or(let operands):
            for operand in operands where evaluate(operand, document: document, user: user) { return true }
            return false
        case .not(let operand):
            return !evaluate(operand, document: document, user: user)
        case .field(let condition):
            return evaluate(condition, document: document, user: user)
        case .user(let condition):
            return evaluate(condition, user: user)
        }
    }

    static func evaluate(_ condition: FieldCondition, document: BSONDocument, user: PolicyUser) -> Bool {
        let path = condition.path
        switch condition.op {
        case .exists:
            return MongoFieldPath.anyCandidate(in: document, path: path) { $0 != nil }
        case .equal:
            return matchesEqual(document, path, condition.value.resolve(user))
        case .notEqual:
            return !matchesEqual(document, path, condition.value.resolve(user))
        case .in:
            return matchesIn(document, path, ValueSource.listMembers(condition.value.resolve(user)))
        case .notIn:
            return !matchesIn(document, path, ValueSource.listMembers(condition.value.resolve(user)))
        case .less:
            return matchesOrdering(document, path, .less, condition.value.resolve(user))
        case .lessOrEqual:
            return matchesOrdering(document, path, .lessOrEqual, condition.value.resolve(user))
        case .greater:
            return matchesOrdering(document, path, .greater, condition.value.resolve(user))
        case .greaterOrEqual:
            return matchesOrdering(document, path, .greaterOrEqual, condition.value.resolve(user))
        }
    }

    private static func matchesEqual(_ document: BSONDocument, _ path: FieldPath, _ value: BSON) -> Bool {
        MongoFieldPath.anyCandidate(in: document, path: path) { MongoComparison.candidateEquals($0, value) }
    }

    private static func matchesIn(_ document: BSONDocument, _ path: FieldPath, _ list: [BSON]) -> Bool {
        if list.isEmpty { return false }
        return MongoFieldPath.anyCandidate(in: document, path: path) { candidate in
            list.contains { MongoComparison.candidateEquals(candidate, $0) }
        }
    }

    private static func matchesOrdering(
        _ document: BSONDocument, _ path: FieldPath, _ ordering: MongoComparison.Ordering, _ value: BSON
    ) -> Bool {
        MongoFieldPath.anyCandidate(in: document, path: path) { MongoComparison.candidateOrders($0, ordering, value) }
    }

    /// A comparison without a document side. The left value is treated like a field
    /// value (a list matches when one of its members does), so `user.roles == "admin"`
    /// holds when the caller has that role.
    static func evaluate(_ condition: UserCondition, user: PolicyUser) -> Bool {
        let left = condition.left.resolve(user)
        let right = condition.right.resolve(user)
        func equal() -> Bool {
            MongoComparison.matchesExpandingArray(left) { MongoComparison.candidateEquals($0, right) }
                || MongoComparison.matchesExpandingArray(right) { MongoComparison.candidateEquals($0, left) }
        }
        func member() -> Bool {
            let list = ValueSource.listMembers(right)
            return MongoComparison.matchesExpandingArray(left) { element in
                list.contains { MongoComparison.candidateEquals(element, $0) }
            }
        }
        func order(_ ordering: MongoComparison.Ordering) -> Bool {
            MongoComparison.matchesExpandingArray(left) { MongoComparison.candidateOrders($0, ordering, right) }
        }
        switch condition.op {
        case .equal: return equal()
        case .notEqual: return !equal()
        case .in: return member()
        case .notIn: return !member()
        case .less: return order(.less)
        case .lessEqual: return order(.lessOrEqual)
        case .greater: return order(.greater)
        case .greaterEqual: return order(.greaterOrEqual)
        case .contains: return false  // rewritten to `in` by the checker
        }
    }
}
