import PMBSON
import PMPolicy
import PMSchema

/// What `$pull` removes from an array, following MongoDB's three forms:
///
/// - a value that is not a document (`"x"`, `5`, `[1, 2]`): elements equal to it
///   (BSON equality, numbers by value; arrays whole, in order);
/// - a document of operators (`{"$gte": 6}`): elements that satisfy all of them, an
///   element that is itself an array matching when one of its items or the array
///   does (MongoDB wraps the element as `{"": element}` and runs the query);
/// - a document of field conditions (`{"sku": "a", "qty": {"$lt": 1}}`): elements that
///   are documents and match it as a MongoDB query (dotted paths, array fan-out;
///   other fields allowed). `{}` matches every document element, as in MongoDB.
///
/// Condition operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists`.
public struct PullCondition: Sendable {
    enum Test: Sendable {
        case eq(BSON)
        case ne(BSON)
        case order(MongoComparison.Ordering, BSON)
        case `in`([BSON])
        case nin([BSON])
        case exists(Bool)
    }

    struct FieldCondition: Sendable {
        let path: [String]
        let tests: [Test]
    }

    enum Form: Sendable {
        case equals(BSON)
        case operators([Test])
        case fields([FieldCondition])
    }

    let form: Form

    static let operatorNames = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"]

    init(_ value: BSON, path: UpdatePath, typing: CollectionSchema?) throws {
        let items = typing?.items(ofArrayAt: path)
        guard case .document(let document) = value else {
            form = .equals(items?.typed(value) ?? value)
            return
        }
        let dollar = document.elements.filter { $0.key.utf8.first == UInt8(ascii: "$") }.count
        if dollar == 0 {
            var conditions: [FieldCondition] = []
            for element in document.elements {
                let components = element.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if components.contains(where: { $0.isEmpty || $0.utf8.first == UInt8(ascii: "$") || $0.utf8.contains(0) }) {
                    throw UpdateError.invalid(
                        "$pull on \(path): condition field \"\(element.key)\" is not a valid field path", field: path.dotted)
                }
                let field = items?.descend(components, arrays: .byIndex)
                conditions.append(FieldCondition(
                    path: components, tests: try Self.tests(element.value, field: field, path: path, allowLiteral: true)))
            }
            form = .fields(conditions)
        } else if dollar == document.count {
            form = .operators(try Self.tests(value, field: items, path: path, allowLiteral: false))
        } else {
            throw UpdateError.invalid("$pull on \(path) mixes operators with field names", field: path.dotted)
        }
    }

    /// A field's condition: a literal (equality) or a document of operators.
    private static func tests(_ value: BSON, field: FieldSchema?, path: UpdatePath, allowLiteral: Bool) throws -> [Test] {
        func typed(_ v: BSON) -> BSON { field?.typed(v) ?? v }
        guard case .document(let document) = value,
              document.elements.contains(where: { $0.key.utf8.first == UInt8(ascii: "$") })
        else { return [.eq(typed(value))] }
        guard document.elements.allSatisfy({ $0.key.utf8.first == UInt8(ascii: "$") }) else {
            throw UpdateError.invalid("$pull on \(path): a condition mixes operators with field names", field: path.dotted)
        }
        return try document.elements.map { element -> Test in
            let operand = element.value
            switch element.key {
            case "$eq": return .eq(typed(operand))
            case "$ne": return .ne(typed(operand))
            case "$gt": return .order(.greater, typed(operand))
            case "$gte": return .order(.greaterOrEqual, typed(operand))
            case "$lt": return .order(.less, typed(operand))
            case "$lte": return .order(.lessOrEqual, typed(operand))
            case "$in", "$nin":
                guard case .array(let values) = operand else {
                    throw UpdateError.invalid("$pull on \(path): \(element.key) needs an array", field: path.dotted)
                }
                let list = values.map(typed)
                return element.key == "$in" ? .in(list) : .nin(list)
            case "$exists":
                switch operand {
                case .bool(let b): return .exists(b)
                case .int32(let i): return .exists(i != 0)
                case .int64(let i): return .exists(i != 0)
                case .double(let d): return .exists(d != 0)
                default:
                    throw UpdateError.invalid("$pull on \(path): $exists needs true or false", field: path.dotted)
                }
            default:
                throw UpdateError.invalid(
                    "$pull on \(path): condition operator \(element.key) is not supported (allowed: \(operatorNames.joined(separator: ", ")))",
                    field: path.dotted)
            }
        }
    }

    /// Whether `$pull` removes `element`.
    public func matches(_ element: BSON) -> Bool {
        switch form {
        case .equals(let value):
            return MongoComparison.equal(element, value)
        case .operators(let tests):
            // `{"": element}` queried with `{"": {ops}}`: the element is present.
            return tests.allSatisfy { test in
                Self.evaluate(test, exists: true) { predicate in MongoComparison.matchesExpandingArray(element, predicate) }
            }
        case .fields(let conditions):
            guard case .document(let document) = element else { return false }
            return conditions.allSatisfy { condition in
                condition.tests.allSatisfy { test in
                    let exists: Bool
                    if case .exists = test {
                        exists = MongoFieldPath.exists(in: document, path: condition.path)
                    } else {
                        exists = true
                    }
                    return Self.evaluate(test, exists: exists) { predicate in
                        MongoFieldPath.anyCandidate(in: document, path: condition.path, predicate)
                    }
                }
            }
        }
    }

    /// One test over the candidates `any` enumerates; `$ne`/`$nin` are the negation of
    /// `$eq`/`$in` over all candidates, as in MongoDB.
    private static func evaluate(_ test: Test, exists: Bool, _ any: ((BSON?) -> Bool) -> Bool) -> Bool {
        switch test {
        case .eq(let value): any { MongoComparison.candidateEquals($0, value) }
        case .ne(let value): !any { MongoComparison.candidateEquals($0, value) }
        case .order(let ordering, let value): any { MongoComparison.candidateOrders($0, ordering, value) }
        case .in(let values): any { candidate in values.contains { MongoComparison.candidateEquals(candidate, $0) } }
        case .nin(let values): !any { candidate in values.contains { MongoComparison.candidateEquals(candidate, $0) } }
        case .exists(let wanted): exists == wanted
        }
    }
}
