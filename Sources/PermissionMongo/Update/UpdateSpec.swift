import PMBSON
import PMPolicy
import PMSchema

/// The client's `update` of a batch update, parsed and checked once
/// per request, then applied by the gateway to each stored document
/// (`apply(to:)`, MongoDB semantics) so the post-image can be validated and written.
///
/// Accepted forms:
/// - a plain field map (no `$` keys): `$set` of those fields, dotted keys allowed;
/// - an object of operators: `$set`, `$unset`, `$inc`, `$mul`, `$min`, `$max`,
///   `$push` (with `$each`), `$pull` (value or condition), `$addToSet` (with `$each`).
///
/// Refused with `UpdateError` (`.invalidUpdate`, or `.protectedField` for the server's
/// fields): an empty update or operator, operators mixed with field names, any other
/// operator, an operator argument that is not a document, a path named twice or two
/// paths of which one contains the other (`a` and `a.b`, as MongoDB refuses), bad
/// field names (empty component, `$` prefix, NUL), values holding unsafe field names.
public struct UpdateSpec: Sendable {
    /// The update operators the gateway accepts.
    public enum Operator: String, Sendable, CaseIterable {
        case set = "$set"
        case unset = "$unset"
        case inc = "$inc"
        case mul = "$mul"
        case min = "$min"
        case max = "$max"
        case push = "$push"
        case pull = "$pull"
        case addToSet = "$addToSet"
    }

    /// What one path's change does; values are already typed by the schema.
    public enum Action: Sendable {
        case set(BSON)
        case unset
        case inc(BSON)
        case mul(BSON)
        case min(BSON)
        case max(BSON)
        /// The elements to append (`$each` or the single value).
        case push([BSON])
        /// The candidate elements (`$each` or the single value), duplicates removed.
        case addToSet([BSON])
        case pull(PullCondition)
    }

    /// One path and what happens to it.
    public struct Change: Sendable {
        public let path: UpdatePath
        public let op: Operator
        public let action: Action
    }

    /// Top-level fields the server owns: an update touching them is refused.
    /// `deleted_at`/`deleted_by` too, so that an update cannot undo a soft delete (restore can).
    public static let protectedFields: [String] = [
        "_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_by",
    ]

    /// The changes in the order they are applied: MongoDB's (5.0+) path order, component
    /// by component, numeric names numerically, others by bytes; it decides the order in
    /// which new fields are appended.
    public let changes: [Change]

    /// Every path the update sets or unsets (any operator), as written, in request order.
    public let touchedFields: [String]

    /// Parses and checks `update`. With a `schema`, values are read as create reads
    /// them: ISO-8601 strings for `date` fields become dates, 24-hex strings for
    /// `objectid` fields ObjectIds (also inside nested objects, array items, `$push` /
    /// `$addToSet` elements and `$pull` conditions). Other values are kept as given:
    /// the post-image validation judges them.
    public init(_ update: BSONDocument, schema: CollectionSchema? = nil) throws {
        guard !update.isEmpty else { throw UpdateError.invalid("update must not be empty") }
        let typing = schema
        let operatorKeys = update.elements.filter { $0.key.utf8.first == UInt8(ascii: "$") }
        var parsed: [Change] = []
        if operatorKeys.isEmpty {
            for element in update.elements {
                let path = try Self.checkedPath(element.key, operatorName: nil)
                try ValueSafety.check(element.value, field: path.dotted)
                parsed.append(Change(path: path, op: .set, action: .set(typing?.typed(element.value, at: path) ?? element.value)))
            }
        } else if operatorKeys.count == update.count {
            var seen: [Operator] = []
            for element in update.elements {
                guard let op = Operator(rawValue: element.key) else {
                    let allowed = Operator.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UpdateError.invalid(
                        "update operator \(element.key) is not allowed (allowed: \(allowed))", field: element.key)
                }
                guard !seen.contains(op) else {
                    throw UpdateError.invalid("update operator \(op.rawValue) is given twice", field: op.rawValue)
                }
                seen.append(op)
                guard case .document(let arguments) = element.value else {
                    throw UpdateError.invalid(
                        "\(op.rawValue) takes an object of fields, not \(BSONTypeName.of(element.value))", field: op.rawValue)
                }
                guard !arguments.isEmpty else {
                    throw UpdateError.invalid("\(op.rawValue) must name at least one field", field: op.rawValue)
                }
                for argument in arguments.elements {
                    let path = try Self.checkedPath(argument.key, operatorName: op.rawValue)
                    let action = try Self.action(op, argument.value, path: path, typing: typing)
                    parsed.append(Change(path: path, op: op, action: action))
                }
            }
        } else {
            let field = update.elements.first { $0.key.utf8.first != UInt8(ascii: "$") }!.key
            throw UpdateError.invalid(
                "update mixes operators (\(operatorKeys[0].key)) with field names (\(field)): put fields under $set",
                field: field)
        }
        touchedFields = parsed.map(\.path.dotted)
        changes = parsed.sorted { UpdatePath.precedes($0.path, $1.path) }
        try Self.checkConflicts(changes)
    }

    /// Whether the update sets or unsets `field` (a dotted path, e.g. a `deny_write`
    /// entry): the same path, a path inside it (`price.x`) or a parent of it (setting
    /// the whole `dims` touches `dims.w`). Compared component by component; array
    /// indexes are also looked through (`lines.0.price` touches `lines.price`, and
    /// `lines.0` touches it too), erring on the side of "touches".
    public func touches(_ field: String) -> Bool {
        let target = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let targetWithoutIndexes = target.filter { !UpdatePath.isAllDigits($0) }
        for change in changes {
            let components = change.path.components
            if Self.related(components, target) { return true }
            if Self.related(components.filter { !UpdatePath.isAllDigits($0) }, targetWithoutIndexes) { return true }
        }
        return false
    }

    /// The first of `fields` the update touches (see `touches(_:)`), for a 403 naming it.
    public func firstTouched(of fields: some Sequence<String>) -> String? {
        fields.first { touches($0) }
    }

    // MARK: parsing

    private static func checkedPath(_ key: String, operatorName: String?) throws -> UpdatePath {
        let path = try UpdatePath(key, operatorName: operatorName)
        if protectedFields.contains(where: { UpdatePath.same($0, path.first) }) {
            throw UpdateError(.protectedField, field: path.first, "\(path.first) cannot be updated")
        }
        return path
    }

    private static func action(_ op: Operator, _ value: BSON, path: UpdatePath, typing: CollectionSchema?) throws -> Action {
        let name = op.rawValue
        switch op {
        case .set:
            try ValueSafety.check(value, field: path.dotted)
            return .set(typing?.typed(value, at: path) ?? value)
        case .unset:
            return .unset
        case .inc, .mul:
            guard UpdateArithmetic.isNumber(value) else {
                throw UpdateError.invalid(
                    "\(name) on \(path) needs a number, not \(BSONTypeName.of(value))", field: path.dotted)
            }
            return op == .inc ? .inc(value) : .mul(value)
        case .min, .max:
            try ValueSafety.check(value, field: path.dotted)
            let typed = typing?.typed(value, at: path) ?? value
            return op == .min ? .min(typed) : .max(typed)
        case .push, .addToSet:
            var elements = try eachElements(op, value, path: path)
            for element in elements { try ValueSafety.check(element, field: path.dotted) }
            if let items = typing?.items(ofArrayAt: path) { elements = elements.map(items.typed) }
            if op == .push { return .push(elements) }
            var unique: [BSON] = []
            for element in elements where !unique.contains(where: { MongoComparison.equal($0, element) }) {
                unique.append(element)
            }
            return .addToSet(unique)
        case .pull:
            return .pull(try PullCondition(value, path: path, typing: typing))
        }
    }

    /// `$push` / `$addToSet` argument: a value, or `{$each: [...]}` (no other modifier).
    private static func eachElements(_ op: Operator, _ value: BSON, path: UpdatePath) throws -> [BSON] {
        guard case .document(let document) = value,
              document.elements.contains(where: { $0.key.utf8.first == UInt8(ascii: "$") })
        else { return [value] }
        for element in document.elements where element.key != "$each" {
            if element.key.utf8.first == UInt8(ascii: "$") {
                throw UpdateError.invalid(
                    "\(op.rawValue) modifier \(element.key) on \(path) is not supported (only $each)", field: path.dotted)
            }
            throw UpdateError.invalid(
                "\(op.rawValue) on \(path) mixes $each with field \(element.key)", field: path.dotted)
        }
        guard document.count == 1, case .array(let elements) = document.elements[0].value else {
            throw UpdateError.invalid("\(op.rawValue) $each on \(path) needs one array", field: path.dotted)
        }
        return elements
    }

    /// MongoDB refuses an update naming a path twice or two paths one inside the other.
    /// `sorted` is in `UpdatePath.precedes` order, where a path comes right before
    /// the paths inside it, so neighbours suffice.
    private static func checkConflicts(_ sorted: [Change]) throws {
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.path.isPrefix(of: next.path) {
            if previous.path.components.count == next.path.components.count {
                let ops = previous.op == next.op ? previous.op.rawValue : "\(previous.op.rawValue) and \(next.op.rawValue)"
                throw UpdateError.invalid("\(next.path) is updated twice (\(ops))", field: next.path.dotted)
            }
            throw UpdateError.invalid(
                "\(previous.path) (\(previous.op.rawValue)) and \(next.path) (\(next.op.rawValue)) conflict: one contains the other",
                field: next.path.dotted)
        }
    }

    /// One path is a prefix of (or equal to) the other, component by component.
    private static func related(_ a: [String], _ b: [String]) -> Bool {
        zip(a, b).allSatisfy { UpdatePath.same($0, $1) }
    }
}

/// Field names inside values the update stores: as on create, none may be empty,
/// start with `$`, or contain `.` or NUL.
enum ValueSafety {
    static func check(_ value: BSON, field: String) throws {
        switch value {
        case .document(let document):
            for element in document.elements {
                if !isSafe(element.key) {
                    throw UpdateError.invalid(
                        "field name \"\(element.key)\" is not allowed (in the value of \(field))", field: field)
                }
                try check(element.value, field: field)
            }
        case .array(let elements):
            for element in elements { try check(element, field: field) }
        default:
            return
        }
    }

    static func isSafe(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "$") else { return false }
        return !name.utf8.contains { $0 == UInt8(ascii: ".") || $0 == 0 }
    }
}

/// Short type names for messages.
enum BSONTypeName {
    static func of(_ value: BSON) -> String {
        switch value {
        case .double, .int32, .int64: "a number"
        case .decimal128: "a decimal128"
        case .string: "a string"
        case .document: "an object"
        case .array: "an array"
        case .binary: "binary data"
        case .objectId: "an ObjectId"
        case .bool: "a boolean"
        case .date: "a date"
        case .null: "null"
        case .regex: "a regex"
        case .timestamp: "a timestamp"
        case .minKey: "minKey"
        case .maxKey: "maxKey"
        case .undefined: "undefined"
        }
    }
}
