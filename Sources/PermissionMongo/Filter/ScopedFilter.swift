import PMBSON

/// The filter the database sees: the caller's tenant, the policy's condition and the
/// soft-delete marker are `$and`-ed on top of whatever the client asked for, so no
/// client filter can reach past them.
///
/// The conjunction is written flat where field names don't collide
/// (`{_id: {$in}, created_by, tenant_id}`, `$and` members included) and with `$and` only
/// for the parts that do:
/// the meaning is the same, and query planners (SecantusDB's especially) use indexes on
/// flat filters that they miss under `$and`.
///
/// The tenant comes after the other conditions. MongoDB's planner does not care about the
/// order; SecantusDB's plans a filter that no index covers whole by its first condition an
/// index serves, and with an index led by `tenant_id` (every `unique` field's and declared
/// one) a tenant first would read all of the tenant's documents to find a few `_id`s
/// (BENCHMARKS.md, "Declared indexes").
enum ScopedFilter {
    static func make(
        tenantId: String, policy: BSONDocument?, hideDeleted: Bool, client: BSONDocument? = nil
    ) -> BSONDocument {
        var flat = BSONDocument()
        var nested: [BSON] = []
        var clauses: [BSONDocument] = []
        if let client, !client.isEmpty { clauses.append(client) }
        if let policy, !policy.isEmpty { clauses.append(policy) }
        if hideDeleted { clauses.append(BSONDocument(["deleted_at": .document(BSONDocument(["$exists": .bool(false)]))])) }
        for clause in clauses { merge(clause, into: &flat, nested: &nested) }
        flat.append("tenant_id", .string(tenantId))
        if !nested.isEmpty { flat.append("$and", .array(nested)) }
        return flat
    }

    /// Adds a conjunct's conditions to the flat filter; the members of an `$and` are
    /// conjuncts themselves; a field already constrained (`tenant_id` always) goes to `nested`.
    private static func merge(_ clause: BSONDocument, into flat: inout BSONDocument, nested: inout [BSON]) {
        for element in clause.elements {
            if element.key == "$and", case .array(let members) = element.value,
               members.allSatisfy({ if case .document = $0 { true } else { false } }) {
                for case .document(let member) in members { merge(member, into: &flat, nested: &nested) }
            } else if element.key != "tenant_id", flat[element.key] == nil {
                flat.elements.append(element)
            } else {
                nested.append(.document(BSONDocument(elements: [element])))
            }
        }
    }
}
