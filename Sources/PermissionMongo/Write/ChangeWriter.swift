import PMBSON
import PMMongo

/// Writes the changes of an update, delete or restore in one transaction: re-reads the
/// selected documents, reuses each decision made before the transaction when the
/// document is unchanged (re-plans it otherwise), saves versions, writes.
///
/// In `transaction` when given, else in one of its own. Atomic: any failure writes
/// nothing. Not atomic: failing documents are left out; a document that hits a duplicate
/// key is dropped and the transaction run again without it.
struct ChangeWriter: Sendable {
    let store: DocumentStore
    let collection: String
    let tenantId: String
    let versions: VersionRecorder
    let op: VersionOp
    let atomic: Bool
    /// Dotted paths of the collection's unique fields, checked before anything is written.
    var uniqueFields: [String] = []
    var transaction: StoreTransaction? = nil
    /// Post-hook deliveries to record with the change, when the collection has any.
    var outbox: OutboxRecordMaker? = nil

    struct Outcome: Sendable {
        var written: [BSONDocument] = []
        var failed: [(id: BSON, failure: DocumentFailure)] = []
    }

    /// What was written and what failed; an atomic change that failed wrote nothing.
    func run(
        queries: [BSONDocument], planned: [DocumentKey: PlannedChange], excluded: [DocumentKey: DocumentFailure],
        planner: @escaping ChangePlanner, now: BSONDate
    ) async throws -> Outcome {
        let queryBytes = queries.map { $0.encoded() }
        return try await store.write(
            atomic: atomic, transaction: transaction, excluding: excluded, unwritable: "the change could not be written"
        ) { connection, excluded in
            try write(
                queries: queryBytes, planned: planned, excluded: excluded, planner: planner, now: now, on: connection)
        }
    }

    private func write(
        queries: [[UInt8]], planned: [DocumentKey: PlannedChange], excluded: [DocumentKey: DocumentFailure],
        planner: ChangePlanner, now: BSONDate, on connection: StoreConnection
    ) throws -> WriteRun<Outcome, DocumentKey> {
        var outcome = Outcome()
        var changes: [VersionRecorder.Change] = []
        var writes: [(id: BSON, action: ChangeAction)] = []
        for query in queries {
            for current in try connection.find(in: collection, filter: query) {
                guard let id = current["_id"] else { continue }
                let key = DocumentKey(id)
                if let failure = excluded[key] {
                    outcome.failed.append((id, failure))
                    continue
                }
                let decision: Result<ChangeAction, DocumentFailure>
                if let plan = planned[key], plan.before == current {
                    decision = .success(plan.action)
                } else {
                    decision = planner(current)
                }
                switch decision {
                case .failure(let failure):
                    outcome.failed.append((id, failure))
                case .success(let action):
                    changes.append(.init(before: current, after: action.after, op: op))
                    writes.append((id, action))
                }
            }
        }
        let clashes = try uniqueClashes(of: writes, changes: changes, on: connection)
        if !clashes.isEmpty {
            for (id, _) in writes { if let failure = clashes[DocumentKey(id)] { outcome.failed.append((id, failure)) } }
            writes.removeAll { clashes[DocumentKey($0.id)] != nil }
            changes.removeAll { $0.before["_id"].map { clashes[DocumentKey($0)] != nil } ?? false }
        }
        if atomic && !outcome.failed.isEmpty { return .refused(Outcome(failed: outcome.failed), clashes: [:]) }
        try versions.record(changes, now: now, in: connection)
        var removed: [BSON] = []
        var replaced: [(id: BSON, document: BSONDocument)] = []
        for (id, action) in writes {
            switch action {
            case .replace(let document): replaced.append((id, document))
            case .remove: removed.append(id)
            }
        }
        // All replacements in one bulk write: one round trip, not one per document.
        let bulk = try connection.replaceEach(
            in: collection,
            replaced.map { (BSONDocument(["_id": $0.id, "tenant_id": .string(tenantId)]).encoded(), $0.document.encoded()) })
        if let error = bulk.writeErrors.first {
            guard error.isDuplicateKey, replaced.indices.contains(error.index) else {
                throw MongoError(
                    kind: .server, code: error.code, message: error.message, labels: bulk.errorLabels,
                    writeErrors: bulk.writeErrors)
            }
            let clash = (id: replaced[error.index].id, failure: WriteFailure.describe(error))
            return .refused(Outcome(failed: [clash]), clashes: [DocumentKey(clash.id): clash.failure])
        }
        outcome.written += replaced.map(\.document)
        for condition in IdsIn.conditions(removed) {
            let filter = BSONDocument(["_id": condition, "tenant_id": .string(tenantId)]).encoded()
            _ = try connection.deleteMany(in: collection, filter: filter)
        }
        outcome.written += changes.filter { $0.after == nil }.map(\.before)
        if let outbox {
            let records = outbox(changes.compactMap { change in
                change.before["_id"].map { (id: $0, document: change.after ?? change.before) }
            })
            try connection.insertAll(records.map { $0.encoded() }, into: OutboxRecord.collection, what: "outbox")
        }
        return .written(outcome)
    }

    /// Replacements whose unique values repeat one another or a stored document's (other than
    /// the documents being replaced), found before writing: a duplicate is then the failure of
    /// its document, not a write error that would end a transaction the change runs in.
    private func uniqueClashes(
        of writes: [(id: BSON, action: ChangeAction)], changes: [VersionRecorder.Change], on connection: StoreConnection
    ) throws -> [DocumentKey: DocumentFailure] {
        guard !uniqueFields.isEmpty else { return [:] }
        let replaced = writes.compactMap { write in write.action.after.map { (key: DocumentKey(write.id), document: $0) } }
        guard !replaced.isEmpty else { return [:] }
        let before = Dictionary(
            changes.compactMap { change in change.before["_id"].map { (DocumentKey($0), change.before) } },
            uniquingKeysWith: { kept, _ in kept })
        return try UniqueConflicts.find(
            documents: replaced, fields: uniqueFields, tenantId: tenantId, rewritten: writes.map(\.id), before: before,
            listEvery: atomic, on: connection, in: collection)
    }
}
