import PMBSON
import PMSchema

/// An update MongoDB applies itself, without the gateway reading the documents
/// (docs/API.md, "Updates and deletes pushed down"). Built only when every change is of a
/// top-level field or of a field inside `object` fields, and its effect can be checked
/// against the schema from the update alone, so that every valid stored document comes out
/// valid, as the read–modify–write path would find it; `nil` otherwise.
///
/// Taken as is: `$set` of a value its field stores unchanged (or of an undeclared field, when
/// its document allows them); `$unset` of a field neither required nor with a default;
/// `$inc` of a number whose direction no `min`/`max` forbids; `$mul` of a number field without
/// rules; `$min`/`$max` of a valid value; `$push`/`$addToSet` of valid items to an array
/// field without rules. A path inside an object (`dims.w`) also needs the object MongoDB
/// creates where it is missing, holding that field alone, to be valid as it is, and is the
/// only path inside its top-level field. Never: `$pull`, paths through arrays (`lines.0.qty`),
/// unique fields (declared or indexed).
struct ServerUpdate: Sendable {
    /// The operators in the order they are sent (`$set` last, with the server's fields).
    private let operators: [(name: String, fields: BSONDocument)]

    init?(_ spec: UpdateSpec, collection: CollectionConfig) {
        let schema = collection.schema
        guard spec.firstTouched(of: Self.uniquePaths(of: collection)) == nil else { return nil }
        var byOperator: [UpdateSpec.Operator: BSONDocument] = [:]
        // The top-level fields a path goes inside: two paths inside one missing object would
        // create it, and SecantusDB stores their fields in the update's order, not MongoDB's.
        var entered: [String] = []
        for change in spec.changes {
            let components = change.path.components
            if components.count > 1 {
                guard !entered.contains(change.path.first) else { return nil }
                entered.append(change.path.first)
            }
            guard let value = Self.value(of: change, inside: schema.root, at: components[...]) else { return nil }
            byOperator[change.op, default: BSONDocument()].append(change.path.dotted, value)
        }
        var operators: [(name: String, fields: BSONDocument)] = []
        for op in UpdateSpec.Operator.allCases where op != .set {
            if let fields = byOperator[op] { operators.append((op.rawValue, fields)) }
        }
        operators.append((UpdateSpec.Operator.set.rawValue, byOperator[.set] ?? BSONDocument()))
        self.operators = operators
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

    /// The operator's argument for `change`, whose path goes on with `components` in a
    /// document of `object` (nil: an object field without declared fields, which holds any),
    /// when its effect on any valid document can be checked now.
    private static func value(
        of change: UpdateSpec.Change, inside object: ObjectSchema?, at components: ArraySlice<String>
    ) -> BSON? {
        let field = object?.field(named: components.first!)
        guard components.count > 1 else {
            return value(of: change, field: field, undeclaredAllowed: (object?.additionalFields ?? .allow) == .allow)
        }
        guard let field, field.type == .object, field.hasNoRules,
              let argument = value(of: change, inside: field.nested, at: components.dropFirst())
        else { return nil }
        // Where the object is missing, MongoDB creates it holding this path alone.
        if let created = created(by: change, at: components.dropFirst()), !field.acceptsAsIs(created) { return nil }
        return argument
    }

    /// The document MongoDB creates for `change` at `components` inside a missing object;
    /// nil for `$unset`, which creates nothing. `$mul` creates a zero of its operand's type:
    /// the operand stands for it (the field has no rules, so only the type counts).
    private static func created(by change: UpdateSpec.Change, at components: ArraySlice<String>) -> BSON? {
        var value: BSON
        switch change.action {
        case .set(let given), .inc(let given), .mul(let given), .min(let given), .max(let given): value = given
        case .push(let elements), .addToSet(let elements): value = .array(elements)
        case .unset, .pull: return nil
        }
        for name in components.reversed() {
            var document = BSONDocument()
            document.append(name, value)
            value = .document(document)
        }
        return value
    }

    /// The operator's argument for a change of `field` (nil: undeclared), when its effect on
    /// any valid value can be checked now.
    private static func value(of change: UpdateSpec.Change, field: FieldSchema?, undeclaredAllowed: Bool) -> BSON? {
        guard let field else {
            guard undeclaredAllowed else { return nil }
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

    /// Paths whose values must stay unique: the schema's `unique` fields and the fields of
    /// unique declared indexes.
    private static func uniquePaths(of collection: CollectionConfig) -> [String] {
        collection.schema.uniqueFields + collection.indexes.filter(\.unique).flatMap { $0.fields.map(\.path) }
    }
}
