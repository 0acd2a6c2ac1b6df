import PMBSON

/// `POST /{collection}/{id}/versions/{n}/restore`: brings back the state saved
/// as version n. The restore is itself a change: validated against the schema, saved
/// as a version (`op: restore`), and it undoes a soft delete. A removed document is
/// inserted again from its saved state.
struct RestoreVersion {
    let gateway: Gateway
    let collection: CollectionConfig
    let caller: Caller
    /// The transaction of an `Idempotency-Key` the restore runs in; nil: one of its own.
    var transaction: StoreTransaction? = nil

    func run(id: ObjectId, number: Int64) async throws -> BSONDocument {
        let permission = try gateway.permission(caller, .restore, on: collection)
        let history = VersionHistory(store: gateway.store, collection: collection.name, tenantId: caller.tenantId)
        let versions = try await history.versions(of: id)
        guard versions.contains(where: { $0["version"]?.int64Value == number }) else {
            throw DomainError.notFound("version \(number) of this document not found")
        }
        let now = BSONDate.now()
        let callerId = caller.id
        let schema = collection.schema
        let planner: ChangePlanner = { stored in
            guard let saved = VersionHistory.state(atVersion: number, versions: versions, current: stored) else {
                return .failure(DocumentFailure(.writeFailed, "version \(number) cannot be rebuilt"))
            }
            var restored = Self.restoredDocument(saved, keeping: stored, by: callerId, now: now)
            if let violation = schema.validate(&restored) {
                return .failure(DocumentFailure(.schemaValidation, violation.message))
            }
            return .success(.replace(restored))
        }
        var runner = ChangeRunner(
            gateway: gateway, collection: collection, caller: caller, permission: permission,
            kind: .update, op: .restore, atomic: true)
        runner.includeDeleted = true
        runner.transaction = transaction
        let result = try await runner.run(target: .ids([id]), planner: planner, now: now)
        if let failure = result.failed.first { throw failure.failure }
        if let document = result.written.first { return document }
        return try await reinsert(id: id, number: number, versions: versions, permission: permission, now: now)
    }

    /// The saved state with the identity of the document kept and the change stamped.
    static func restoredDocument(
        _ saved: BSONDocument, keeping stored: BSONDocument, by userId: String, now: BSONDate
    ) -> BSONDocument {
        var restored = saved
        for key in ["_id", "tenant_id", "created_by", "created_at"] {
            restored[key] = stored[key]
        }
        restored["deleted_at"] = nil
        restored["deleted_by"] = nil
        restored["updated_at"] = .date(now)
        restored["updated_by"] = .string(userId)
        return restored
    }

    private func reinsert(
        id: ObjectId, number: Int64, versions: [BSONDocument], permission: Permission, now: BSONDate
    ) async throws -> BSONDocument {
        let existing = try await gateway.store.findOne(
            in: collection.name, filter: BSONDocument(["_id": .objectId(id), "tenant_id": .string(caller.tenantId)]),
            transaction: transaction)
        guard existing == nil,
              let saved = VersionHistory.state(atVersion: number, versions: versions, current: nil),
              permission.allows(saved)
        else { throw DomainError.documentNotFound }
        var restored = Self.restoredDocument(saved, keeping: saved, by: caller.id, now: now)
        if let violation = collection.schema.validate(&restored) {
            throw DocumentFailure(.schemaValidation, violation.message)
        }
        let failures = try await gateway.store.insertEach(
            [PreparedDocument(index: 0, id: id, document: restored)], into: collection.name, transaction: transaction)
        if let failure = failures[0] { throw failure }
        return restored
    }
}
