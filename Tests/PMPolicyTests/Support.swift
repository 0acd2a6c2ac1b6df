import PMBSON
@testable import PMPolicy
import Testing

let alice = PolicyUser(id: "u1", tenantId: "t1", roles: ["editor", "viewer"], claims: ["org": "acme", "level": 3])
let admin = PolicyUser(id: "u0", tenantId: "t1", roles: ["admin"])

func parse(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> PolicyExpression? {
    do {
        return try PolicyExpression.parse(source)
    } catch {
        Issue.record("unexpected error for \(source): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error `parse` throws, or nil (recorded as an issue) when it succeeds.
func parseError(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> PolicySyntaxError? {
    do {
        _ = try PolicyExpression.parse(source)
        Issue.record("expected a syntax error for \(source)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func evaluate(_ source: String, _ document: BSONDocument, user: PolicyUser = alice,
              sourceLocation: SourceLocation = #_sourceLocation) -> Bool? {
    parse(source, sourceLocation: sourceLocation)?.evaluate(document: document, user: user)
}

func filter(_ source: String, user: PolicyUser = alice, sourceLocation: SourceLocation = #_sourceLocation) -> BSONDocument? {
    parse(source, sourceLocation: sourceLocation)?.mongoFilter(user: user)
}

/// A small, independent interpreter of the filters `FilterCompiler` emits
/// (field equality, $eq $ne $lt $lte $gt $gte $in $nin $exists $and $or $nor),
/// built on the shared value-comparison module. Used to cross-check the compiler
/// against the evaluator.
enum ReferenceMatcher {
    static func matches(_ filter: BSONDocument, _ document: BSONDocument) -> Bool {
        filter.elements.allSatisfy { element in
            switch element.key {
            case "$and": return list(element.value).allSatisfy { matches($0, document) }
            case "$or": return list(element.value).contains { matches($0, document) }
            case "$nor": return !list(element.value).contains { matches($0, document) }
            default: return field(element.key, element.value, document)
            }
        }
    }

    private static func list(_ value: BSON) -> [BSONDocument] {
        guard case .array(let items) = value else { Issue.record("not a list: \(value)"); return [] }
        return items.map { item in
            guard case .document(let d) = item else { Issue.record("not a document: \(item)"); return BSONDocument() }
            return d
        }
    }

    private static func field(_ path: String, _ condition: BSON, _ document: BSONDocument) -> Bool {
        let components = path.split(separator: ".").map(String.init)
        if case .document(let ops) = condition, let first = ops.elements.first, first.key.hasPrefix("$") {
            return ops.elements.allSatisfy { op in
                switch op.key {
                case "$eq": return equals(components, op.value, document)
                case "$ne": return !equals(components, op.value, document)
                case "$in": return inList(components, op.value, document)
                case "$nin": return !inList(components, op.value, document)
                case "$lt": return orders(components, .less, op.value, document)
                case "$lte": return orders(components, .lessOrEqual, op.value, document)
                case "$gt": return orders(components, .greater, op.value, document)
                case "$gte": return orders(components, .greaterOrEqual, op.value, document)
                case "$exists":
                    return MongoFieldPath.exists(in: document, path: components) == (op.value == .bool(true))
                default:
                    Issue.record("unexpected operator \(op.key)")
                    return false
                }
            }
        }
        return equals(components, condition, document)
    }

    private static func equals(_ path: [String], _ value: BSON, _ document: BSONDocument) -> Bool {
        MongoFieldPath.matchesEquality(document, path: path, value)
    }

    private static func inList(_ path: [String], _ value: BSON, _ document: BSONDocument) -> Bool {
        guard case .array(let members) = value else { Issue.record("$in needs an array"); return false }
        return members.contains { MongoFieldPath.matchesEquality(document, path: path, $0) }
    }

    private static func orders(_ path: [String], _ ordering: MongoComparison.Ordering, _ value: BSON, _ document: BSONDocument) -> Bool {
        MongoFieldPath.anyCandidate(in: document, path: path) { MongoComparison.candidateOrders($0, ordering, value) }
    }
}

/// Canonical Extended JSON (v2), for dumping cases to check against a real server.
enum ExtendedJSON {
    static func write(_ document: BSONDocument) -> String {
        "{" + document.elements.map { quote($0.key) + ":" + write($0.value) }.joined(separator: ",") + "}"
    }

    static func write(_ value: BSON) -> String {
        switch value {
        case .double(let d):
            let text = d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : "\(d)"
            return "{\"$numberDouble\":\"\(text)\"}"
        case .string(let s): return quote(s)
        case .document(let d): return write(d)
        case .array(let a): return "[" + a.map(write).joined(separator: ",") + "]"
        case .objectId(let o): return "{\"$oid\":\"\(o.hex)\"}"
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return "{\"$date\":{\"$numberLong\":\"\(d.millisecondsSince1970)\"}}"
        case .null: return "null"
        case .int32(let i): return "{\"$numberInt\":\"\(i)\"}"
        case .int64(let i): return "{\"$numberLong\":\"\(i)\"}"
        case .regex(let p, let o): return "{\"$regularExpression\":{\"pattern\":\(quote(p)),\"options\":\(quote(o))}}"
        default: return "null"  // not produced by the generators
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
