import PMTestKit

/// Random policies, filters and updates over a generated schema. About half of the updates
/// are of the kinds a push-down takes (top-level paths and paths inside the object field,
/// values the schema accepts as they are, `$inc` without bounds); the others mix in what it
/// must leave to the read–modify–write path: invalid values, paths through arrays, unique
/// fields, `$pull`, bounded `$inc`, wrong types.
struct RequestGenerator {
    let schema: GeneratedSchema
    var rng: SplitMix
    /// Documents stored (tenant `t1` and `t2`), for id lists and `k` ranges.
    var documentCount = 0

    init(schema: GeneratedSchema, rng: SplitMix) {
        self.schema = schema
        self.rng = rng
    }

    // MARK: policies

    /// A role line of `policies.<c>`: update and/or delete, sometimes a `when` on document
    /// fields and claims, sometimes `deny_write`.
    mutating func role(_ name: String) -> String {
        var actions = ["read"]
        if rng.chance(90) { actions.append("update") }
        if rng.chance(60) || actions.count == 1 { actions.append("delete") }
        var parts = ["actions: [\(actions.joined(separator: ", "))]"]
        if rng.chance(65) { parts.append("when: \"\(condition(depth: 2))\"") }
        if rng.chance(25) { parts.append("deny_write: [\(rng.pick(schema.updatable).name)]") }
        return "\(name): { \(parts.joined(separator: ", ")) }"
    }

    mutating func condition(depth: Int) -> String {
        if depth > 0 && rng.chance(35) {
            let left = condition(depth: depth - 1), right = condition(depth: depth - 1)
            switch rng.below(3) {
            case 0: return "(\(left)) and (\(right))"
            case 1: return "(\(left)) or (\(right))"
            default: return "not (\(left))"
            }
        }
        let field = rng.pick(schema.updatable.filter { $0.kind != .object && ($0.kind != .array || $0.items != nil) })
        switch rng.below(6) {
        case 0: return "doc.created_by == user.id"
        case 1: return "exists(doc.\(field.name))"
        case 2 where field.isNumeric: return "doc.\(field.name) \(rng.pick(["<", ">="])) user.claims.level"
        case 3 where field.kind == .string: return "doc.\(field.name) == user.claims.org"
        case 4: return "doc.k \(rng.pick(["<", ">=", "!="])) \(rng.within(0, 50))"
        default:
            let value = field.kind == .array ? field.item(&rng) : field.valid(&rng)
            let literal = value.replacingOccurrences(of: "\"", with: "'")
            let comparable = field.isNumeric || field.kind == .string
            return "doc.\(field.name) \(comparable ? rng.pick(["==", "!=", "<", ">="]) : rng.pick(["==", "!="])) \(literal)"
        }
    }

    // MARK: requests

    mutating func request() -> GeneratedRequest {
        let delete = rng.chance(18)
        var request = GeneratedRequest(user: rng.below(4), selector: selector(narrow: delete))
        if !delete { request.update = update() }
        // Arithmetic a push-down may take that overflows some stored values.
        if !delete, rng.chance(6),
           let field = schema.updatable.first(where: { $0.kind == .integer && $0.max == nil && $0.takesHugeIntegers }) {
            let operand = rng.pick(["1", "2", "2147483647", "9223372036854775000"])
            request.update = "{\"\(field.hasBounds ? "$inc" : rng.pick(["$inc", "$mul"]))\":{\"\(field.name)\":\(operand)}}"
        }
        request.atomic = rng.chance(20)
        if case .ids = request.selector { request.reportDenied = rng.chance(8) }
        request.idempotencyKey = rng.chance(5)
        return request
    }

    /// Ids (some hidden by the policy, of another tenant, missing) or a filter; `narrow`
    /// (deletes) selects a few documents so that later requests still find some.
    mutating func selector(narrow: Bool) -> GeneratedRequest.Selector {
        if rng.chance(40) {
            let size = rng.chance(4) ? 8 : rng.within(1, narrow ? 3 : 7)
            let ks = (0..<size).map { _ in rng.below(documentCount) }
            return .ids(rng.chance(20) ? ks : Array(Set(ks)).sorted(), missing: rng.chance(25) ? 1 : 0)
        }
        if narrow {
            let start = rng.below(documentCount)
            let range = "{\"k\":{\"$gte\":\(start),\"$lt\":\(start + rng.within(1, 5))}}"
            return .filter(rng.chance(50) ? range : "{\"$and\":[\(range),\(comparison())]}")
        }
        return .filter(filter(depth: 1))
    }

    mutating func filter(depth: Int) -> String {
        if depth > 0 && rng.chance(30) {
            return "{\"\(rng.pick(["$and", "$or"]))\":[\(filter(depth: depth - 1)),\(filter(depth: depth - 1))]}"
        }
        return comparison()
    }

    mutating func comparison() -> String {
        if rng.chance(30) {
            let bound = rng.below(documentCount + 1)
            return rng.chance(70) ? "{\"k\":{\"\(rng.pick(["$lt", "$gte"]))\":\(bound)}}" : "{\"k\":{\"$in\":[\(bound),\(bound / 2)]}}"
        }
        let field = rng.pick(schema.updatable)
        if field.kind == .object {
            return "{\"o.w\":{\"\(rng.pick(["$gt", "$lte"]))\":\(rng.within(-3, 10))}}"
        }
        let value = field.kind == .array ? field.item(&rng) : field.valid(&rng)
        switch rng.below(5) {
        case 0: return "{\"\(field.name)\":\(value)}"
        case 1: return "{\"\(field.name)\":{\"$exists\":\(rng.pick(["true", "false"]))}}"
        case 2: return "{\"\(field.name)\":{\"$in\":[\(value),\(field.kind == .array ? field.item(&rng) : field.valid(&rng))]}}"
        case 3: return "{\"\(field.name)\":{\"$ne\":\(value)}}"
        default: return "{\"\(field.name)\":{\"\(rng.pick(["$gt", "$gte", "$lt", "$lte"]))\":\(value)}}"
        }
    }

    // MARK: updates

    mutating func update() -> String {
        var used: Set<String> = []
        if rng.chance(15) {
            let pairs = (0..<rng.within(1, 3)).compactMap { _ -> String? in
                let field = rng.pick(schema.updatable)
                guard used.insert(field.name).inserted else { return nil }
                return "\"\(field.name)\":\(rng.chance(80) ? field.valid(&rng) : field.invalid(&rng))"
            }
            return "{" + pairs.joined(separator: ",") + "}"
        }
        let pushable = rng.chance(55)
        var operators: [String: [String]] = [:]
        for _ in 0..<rng.within(1, 3) {
            let (op, path, value) = pushable ? simpleChange() : anyChange()
            guard !used.contains(path), !used.contains(where: { path.hasPrefix($0 + ".") || $0.hasPrefix(path + ".") })
            else { continue }
            used.insert(path)
            operators[op, default: []].append("\"\(path)\":\(value)")
        }
        if operators.isEmpty { return "{\"$set\":{\"zz\":1}}" }
        let body = operators.keys.sorted().map { "\"\($0)\":{\(operators[$0]!.joined(separator: ","))}" }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// A change the schema can check from the update alone.
    mutating func simpleChange() -> (String, String, String) {
        let candidates = schema.updatable.filter { !$0.unique }
        let field = rng.pick(candidates)
        switch rng.below(6) {
        case 0 where field.isNumeric && !field.hasBounds:
            let operand = field.operand(&rng, huge: rng.chance(15))
            return (rng.pick(["$inc", "$inc", "$mul"]), field.name, operand)
        case 0 where field.isNumeric:
            // Towards the open side of the bounds only.
            let sign = field.max == nil ? 1 : field.min == nil ? -1 : 0
            return ("$inc", field.name, "\(sign * rng.within(0, 4))")
        case 1 where !field.required && field.defaultValue == nil:
            return ("$unset", field.name, "\"\"")
        case 2 where field.kind == .array && field.maxLength == nil:
            let each = rng.chance(40) ? "{\"$each\":[\(field.item(&rng)),\(field.item(&rng))]}" : field.item(&rng)
            return (rng.pick(["$push", "$addToSet"]), field.name, each)
        case 3 where [.integer, .number, .date, .string].contains(field.kind):
            return (rng.pick(["$min", "$max"]), field.name, field.valid(&rng))
        case 4 where schema.additionalFields:
            return ("$set", rng.pick(["x", "y"]), rng.pick(["1", "\"x\"", "[1,2]", "{\"a\":1}", "null"]))
        default:
            // (Schemas without the object field draw nothing more here.)
            if schema.field("o") != nil, rng.chance(30) { return nestedChange() }
            return ("$set", field.name, field.valid(&rng))
        }
    }

    /// A change inside the object field `o` (`w` a number, `t` at most 3 characters) the
    /// schema can check from the update alone: MongoDB creates `o` where it is missing, and
    /// fails where it is null.
    mutating func nestedChange() -> (String, String, String) {
        switch rng.below(5) {
        case 0: return ("$set", "o.w", rng.pick(["1", "-2.5", "7"]))
        case 1: return ("$set", "o.t", rng.pick(["\"a\"", "\"xyz\"", "null"]))
        case 2: return ("$inc", "o.w", rng.pick(["1", "-3", "0.5"]))
        case 3: return ("$mul", "o.w", rng.pick(["2", "-1"]))
        default: return ("$unset", rng.pick(["o.w", "o.t"]), "\"\"")
        }
    }

    /// Any change: invalid values, dotted paths, unique fields, `$pull`, operators on the
    /// wrong types, bounded and overflowing arithmetic, required fields unset.
    mutating func anyChange() -> (String, String, String) {
        let field = rng.pick(schema.updatable)
        switch rng.below(12) {
        case 0: return ("$set", field.name, field.invalid(&rng))
        case 1: return ("$unset", field.name, "1")
        case 2:
            let operand = rng.chance(25) ? rng.pick(["1.5", "-1e300", "\"x\""]) : field.operand(&rng, huge: rng.chance(40))
            return (rng.pick(["$inc", "$mul"]), field.name, operand)
        case 3 where field.kind == .array:
            let value = rng.pick([field.item(&rng), "{\"$gte\":3}", "{\"$in\":[\(field.item(&rng)),\(field.item(&rng))]}"])
            return ("$pull", field.name, value)
        case 4 where field.kind == .array:
            let value = rng.chance(50) ? field.badItem(&rng) : "{\"$each\":[\(field.item(&rng)),\(field.badItem(&rng))]}"
            return (rng.pick(["$push", "$addToSet"]), field.name, value)
        case 5: return (rng.pick(["$push", "$addToSet"]), field.name, "1")
        case 6 where field.kind == .array: return ("$set", field.name + "." + rng.pick(["0", "1", "3"]), field.item(&rng))
        case 7 where field.kind == .object: return (rng.pick(["$set", "$inc"]), "o.w", rng.pick(["1", "2.5", "\"x\""]))
        case 8: return (rng.pick(["$min", "$max"]), field.name, rng.chance(50) ? field.invalid(&rng) : field.valid(&rng))
        case 9 where schema.field("u") != nil: return ("$set", "u", "\"u\(rng.below(documentCount + 3))\"")
        case 10: return ("$set", "x", "1")
        default: return simpleChange()
        }
    }
}
