import PMBSON

/// The filter the database sees: the caller's tenant, the policy's condition and the
/// soft-delete marker are `$and`-ed on top of whatever the client asked for, so no
/// client filter can reach past them (§3, §4).
enum ScopedFilter {
    static func make(
        tenantId: String, policy: BSONDocument?, hideDeleted: Bool, client: BSONDocument? = nil
    ) -> BSONDocument {
        var clauses: [BSON] = [.document(BSONDocument(["tenant_id": .string(tenantId)]))]
        if let policy { clauses.append(.document(policy)) }
        if hideDeleted { clauses.append(.document(BSONDocument(["deleted_at": .document(BSONDocument(["$exists": .bool(false)]))]))) }
        if let client, !client.isEmpty { clauses.append(.document(client)) }
        if clauses.count == 1, case .document(let only) = clauses[0] { return only }
        return BSONDocument(["$and": .array(clauses)])
    }
}
