import PMBSON
import PMPolicy

extension UpdateSpec {
    /// The most `null`s `$set` (or another creating operator) may pad an array with
    /// when it writes past the end (`tags.5` on a 2-element array pads 3). MongoDB
    /// allows 1,500,000; the gateway keeps it small so one request cannot blow up memory.
    public static let maxArrayPadding = 10_000

    /// The document after the update, with MongoDB's semantics:
    ///
    /// - field order is kept; new fields are appended (in `changes` order);
    /// - a dotted path goes through documents by name and through arrays by index;
    ///   creating operators (`$set $inc $mul $min $max $push $addToSet`) create missing
    ///   intermediate documents (a numeric name under a missing field creates a document
    ///   field, as in MongoDB) and pad arrays with `null` up to the index
    ///   (`maxArrayPadding` at most); a path through a scalar (or a name on an array) is
    ///   an error for them, a no-op for `$unset` and `$pull`;
    /// - `$unset` removes the field (missing: no-op); on an array element it sets `null`;
    /// - `$inc`/`$mul`: see `UpdateArithmetic`; missing → operand / zero of its type;
    /// - `$min`/`$max`: BSON order across types (`MongoComparison.compare`); missing → value;
    /// - `$push`: appends (missing → new array); `$addToSet`: appends elements not
    ///   already present (BSON equality); `$pull`: removes matching elements
    ///   (missing: no-op). On a non-array target all three are errors.
    ///
    /// Errors are `UpdateError` with kind `.notApplicable` naming the field.
    public func apply(to document: BSONDocument) throws -> BSONDocument {
        var result = document
        for change in changes {
            try Self.modify(&result, at: 0, Step(change))
        }
        return result
    }

    // MARK: traversal

    enum Outcome {
        case keep
        case replace(BSON)
        case remove
    }

    struct Step {
        let path: UpdatePath
        let op: Operator
        /// `$unset` and `$pull` ignore paths that cannot be reached.
        let ignoresUnreachable: Bool
        let leaf: (BSON?) throws -> Outcome

        init(_ change: Change) {
            path = change.path
            op = change.op
            ignoresUnreachable = change.op == .unset || change.op == .pull
            leaf = UpdateSpec.leaf(for: change)
        }

        func isLast(_ depth: Int) -> Bool { depth == path.components.count - 1 }
    }

    /// Applies `step` to the field `step.path.components[depth]` of `document`.
    static func modify(_ document: inout BSONDocument, at depth: Int, _ step: Step) throws {
        let name = step.path.components[depth]
        guard let index = document.elements.firstIndex(where: { UpdatePath.same($0.key, name) }) else {
            if let created = try created(below: depth, step) { document.append(name, created) }
            return
        }
        if step.isLast(depth) {
            switch try step.leaf(document.elements[index].value) {
            case .keep: break
            case .replace(let value): document.elements[index].value = value
            case .remove: document.elements.remove(at: index)
            }
            return
        }
        var child = document.elements[index].value
        document.elements[index].value = .null  // keep `child` uniquely referenced
        defer { document.elements[index].value = child }
        try modifyInside(&child, at: depth + 1, step)
    }

    /// Applies `step` to `step.path.components[depth]` inside `value`.
    static func modifyInside(_ value: inout BSON, at depth: Int, _ step: Step) throws {
        switch value {
        case .document(var document):
            value = .null
            defer { value = .document(document) }
            try modify(&document, at: depth, step)
        case .array(var elements):
            let component = step.path.components[depth]
            guard let index = UpdatePath.arrayIndex(component) else {
                try unreachable(step, depth: depth, value)
                return
            }
            value = .null
            defer { value = .array(elements) }
            if index < elements.count {
                if step.isLast(depth) {
                    switch try step.leaf(elements[index]) {
                    case .keep: break
                    case .replace(let new): elements[index] = new
                    case .remove: elements[index] = .null  // MongoDB's $unset of an array element
                    }
                } else {
                    try modifyInside(&elements[index], at: depth + 1, step)
                }
            } else if let created = try created(below: depth, step) {
                let padding = index - elements.count
                guard padding <= maxArrayPadding else {
                    throw UpdateError.cannot(
                        "cannot \(step.op.rawValue) \(step.path): it would pad the array \(step.path.prefix(depth)) with more than \(maxArrayPadding) nulls",
                        field: step.path.dotted)
                }
                elements.append(contentsOf: repeatElement(BSON.null, count: padding))
                elements.append(created)
            }
        default:
            try unreachable(step, depth: depth, value)
        }
    }

    /// The value to store at `components[depth]` when it is missing: `nil` when the
    /// operator leaves a missing field alone, else the new value wrapped in the
    /// documents the rest of the path needs.
    static func created(below depth: Int, _ step: Step) throws -> BSON? {
        guard case .replace(var value) = try step.leaf(nil) else { return nil }
        for component in step.path.components[(depth + 1)...].reversed() {
            value = .document(BSONDocument(elements: [.init(key: component, value: value)]))
        }
        return value
    }

    /// `components[depth]` cannot be reached inside `value` (a scalar, or a name on an array).
    static func unreachable(_ step: Step, depth: Int, _ value: BSON) throws {
        if step.ignoresUnreachable { return }
        let parent = step.path.prefix(depth)
        let component = step.path.components[depth]
        let reason: String
        if case .array = value {
            reason = "\(parent) is an array and \"\(component)\" is not an index"
        } else {
            reason = "\(parent) is \(BSONTypeName.of(value)), not an object"
        }
        throw UpdateError.cannot("cannot \(step.op.rawValue) \(step.path): \(reason)", field: step.path.dotted)
    }

    // MARK: operators

    static func leaf(for change: Change) -> (BSON?) throws -> Outcome {
        let path = change.path
        let name = change.op.rawValue
        switch change.action {
        case .set(let value):
            return { _ in .replace(value) }
        case .unset:
            return { current in current == nil ? .keep : .remove }
        case .inc(let operand), .mul(let operand):
            let isInc = change.op == .inc
            return { current in
                guard let current else { return .replace(isInc ? operand : UpdateArithmetic.zero(like: operand)) }
                guard UpdateArithmetic.isNumber(current) else {
                    throw UpdateError.cannot("cannot \(name) non-numeric field \(path)", field: path.dotted)
                }
                let result = isInc ? UpdateArithmetic.add(current, operand) : UpdateArithmetic.multiply(current, operand)
                guard let result else {
                    throw UpdateError.cannot("cannot \(name) field \(path): the result overflows a 64-bit integer", field: path.dotted)
                }
                return .replace(result)
            }
        case .min(let value), .max(let value):
            let wantLower = change.op == .min
            return { current in
                guard let current else { return .replace(value) }
                let c = MongoComparison.compare(value, current)
                return (wantLower ? c < 0 : c > 0) ? .replace(value) : .keep
            }
        case .push(let elements):
            return { current in
                switch current {
                case nil: return .replace(.array(elements))
                case .array(let existing)?: return .replace(.array(existing + elements))
                case let other?:
                    throw UpdateError.cannot(
                        "cannot $push to non-array field \(path) (it is \(BSONTypeName.of(other)))", field: path.dotted)
                }
            }
        case .addToSet(let candidates):
            return { current in
                switch current {
                case nil: return .replace(.array(candidates))
                case .array(var existing)?:
                    for candidate in candidates where !existing.contains(where: { MongoComparison.equal($0, candidate) }) {
                        existing.append(candidate)
                    }
                    return .replace(.array(existing))
                case let other?:
                    throw UpdateError.cannot(
                        "cannot $addToSet to non-array field \(path) (it is \(BSONTypeName.of(other)))", field: path.dotted)
                }
            }
        case .pull(let condition):
            return { current in
                switch current {
                case nil: return .keep
                case .array(let existing)?:
                    let kept = existing.filter { !condition.matches($0) }
                    return kept.count == existing.count ? .keep : .replace(.array(kept))
                case let other?:
                    throw UpdateError.cannot(
                        "cannot $pull from non-array field \(path) (it is \(BSONTypeName.of(other)))", field: path.dotted)
                }
            }
        }
    }
}
