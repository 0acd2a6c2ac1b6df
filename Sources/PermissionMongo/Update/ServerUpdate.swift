import PMBSON
import PMSchema

/// An update MongoDB applies itself, without the gateway reading the documents
/// (docs/API.md, "Updates and deletes pushed down"). Built only when every change is of a
/// top-level field and its effect can be checked against the schema from the update alone,
/// so that every valid stored document comes out valid, as the read–modify–write path would
/// find it; `nil` otherwise.
///
/// Taken as is: `$set` of a value its field stores unchanged (or of an undeclared field, when
/// the schema allows them); `$unset` of a field neither required nor with a default;
/// `$inc` of a number whose direction no `min`/`max` forbids; `$mul` of a number field without
/// rules; `$min`/`$max` of a valid value; `$push`/`$addToSet` of valid items to an array
/// field without rules. Never: `$pull`, dotted paths, unique fields (declared or indexed).
struct ServerUpdate: Sendable {
    /// The operators in the order they are sent (`$set` last, with the server's fields).
    private let operators: [(name: String, fields: BSONDocument)]
    /// Some change meets `null` in a field that is not required (`$inc`, `$mul`, `$push`,
    /// `$addToSet` on it), which MongoDB refuses for the whole update; such an update runs in
    /// a transaction and, refused, is left to the read–modify–write path.
    let mayBeRefused: Bool

    init?(_ spec: UpdateSpec, collection: CollectionConfig) {
        let schema = collection.schema
        guard spec.firstTouched(of: Self.uniquePaths(of: collection)) == nil else { return nil }
        var byOperator: [UpdateSpec.Operator: BSONDocument] = [:]
        var mayBeRefused = false
        for change in spec.changes {
            guard change.path.components.count == 1 else { return nil }
            let name = change.path.first
            guard let value = Self.value(of: change, field: schema.root.field(named: name), schema: schema) else {
                return nil
            }
            if let field = schema.root.field(named: name), !field.isRequired, Self.failsOnNull(change.op) {
                mayBeRefused = true
            }
            byOperator[change.op, default: BSONDocument()].append(name, value)
        }
        var operators: [(name: String, fields: BSONDocument)] = []
        for op in UpdateSpec.Operator.allCases where op != .set {
            if let fields = byOperator[op] { operators.append((op.rawValue, fields)) }
        }
        operators.append((UpdateSpec.Operator.set.rawValue, byOperator[.set] ?? BSONDocument()))
        self.operators = operators
        self.mayBeRefused = mayBeRefused
    }

    /// The update document for one request: the operators, `$set` with `updated_at` and
    /// `updated_by` after the client's fields.
    func document(now: BSONDate, userId: String) -> BSONDocument {
        var update = BSONDocument()
        for (name, var fields) in operators {
            if name == UpdateSpec.Operator.set.rawValue {
                fields.append("updated_at", .date(now))
                fields.append("updated_by", .string(userId))
            }
            update.append(name, .document(fields))
        }
        return update
    }

    /// The operator's argument for one change, when its effect on any valid document can
    /// be checked now.
    private static func value(of change: UpdateSpec.Change, field: FieldSchema?, schema: CollectionSchema) -> BSON? {
        guard let field else {
            guard schema.additionalFields == .allow else { return nil }
            switch change.action {
            case .set(let value): return value
            case .unset: return .string("")
            default: return nil
            }
        }
        switch change.action {
        case .set(let value):
            return field.acceptsAsIs(value) ? value : nil
        case .unset:
            return !field.isRequired && field.defaultValue == nil ? .string("") : nil
        case .inc(let operand):
            guard field.type == .integer || field.type == .number, field.acceptsAsIs(operand),
                  field.staysValid(incrementedBy: operand)
            else { return nil }
            return operand
        case .mul(let operand):
            guard field.type == .integer || field.type == .number, field.hasNoRules, field.acceptsAsIs(operand)
            else { return nil }
            return operand
        case .min(let value), .max(let value):
            if case .null = value { return nil }
            return field.acceptsAsIs(value) ? value : nil
        case .push(let elements), .addToSet(let elements):
            guard field.type == .array, field.hasNoRules, field.acceptsAsIs(.array(elements)) else { return nil }
            return .document(BSONDocument(["$each": .array(elements)]))
        case .pull:
            return nil
        }
    }

    private static func failsOnNull(_ op: UpdateSpec.Operator) -> Bool {
        op == .inc || op == .mul || op == .push || op == .addToSet
    }

    /// Paths whose values must stay unique: the schema's `unique` fields and the fields of
    /// unique declared indexes.
    private static func uniquePaths(of collection: CollectionConfig) -> [String] {
        collection.schema.uniqueFields + collection.indexes.filter(\.unique).flatMap { $0.fields.map(\.path) }
    }
}
