import PMBSON
import PMMongo

/// Writes the changes of an update, delete or restore in one transaction: re-reads the
/// selected documents, reuses each decision made before the transaction when the
/// document is unchanged (re-plans it otherwise), saves versions, writes.
///
/// Atomic: any failure aborts everything. Not atomic: failing documents are left out;
/// a document that hits a duplicate key is dropped and the transaction re-run without it.
struct ChangeWriter: Sendable {
    let store: DocumentStore
    let collection: String
    let tenantId: String
    let versions: VersionRecorder
    let op: VersionOp
    let atomic: Bool
    /// Post-hook deliveries to record with the change, when the collection has any.
    var outbox: OutboxRecordMaker? = nil

    struct Outcome: Sendable {
        var written: [BSONDocument] = []
        var failed: [(id: BSON, failure: DocumentFailure)] = []
    }

    func run(
        queries: [BSONDocument], planned: [DocumentKey: PlannedChange], excluded: [DocumentKey: DocumentFailure],
        planner: @escaping ChangePlanner, now: BSONDate
    ) async throws -> Outcome {
        let queryBytes = queries.map { $0.encoded() }
        var excluded = excluded
        for _ in 0..<8 {
            let frozenExclusions = excluded
            do {
                return try await store.withTransaction { connection, session in
                    try write(
                        queries: queryBytes, planned: planned, excluded: frozenExclusions, planner: planner,
                        now: now, connection: connection, session: session)
                }
            } catch let clash as DuplicateOnDocument where !atomic {
                excluded[DocumentKey(clash.id)] = clash.failure
            } catch let clash as DuplicateOnDocument {
                throw AtomicChangeAbort(failed: [(clash.id, clash.failure)])
            }
        }
        throw GatewayError(.internal, "the change could not be written")
    }

    private func write(
        queries: [[UInt8]], planned: [DocumentKey: PlannedChange], excluded: [DocumentKey: DocumentFailure],
        planner: ChangePlanner, now: BSONDate, connection: MongoConnection, session: MongoSession
    ) throws -> Outcome {
        var outcome = Outcome()
        var changes: [VersionRecorder.Change] = []
        var writes: [(id: BSON, action: ChangeAction)] = []
        for query in queries {
            for bytes in try connection.find(collection: collection, filter: query, session: session) {
                let current = try BSONDocument(bsonBytes: bytes)
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
        if atomic && !outcome.failed.isEmpty { throw AtomicChangeAbort(failed: outcome.failed) }
        try versions.record(changes, now: now, on: connection, session: session)
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
            collection: collection,
            replaced.map { (BSONDocument(["_id": $0.id, "tenant_id": .string(tenantId)]).encoded(), $0.document.encoded()) },
            session: session)
        if let error = bulk.writeErrors.first {
            guard error.isDuplicateKey, replaced.indices.contains(error.index) else {
                throw MongoError(
                    kind: .server, code: error.code, message: error.message, labels: bulk.errorLabels,
                    writeErrors: bulk.writeErrors)
            }
            throw DuplicateOnDocument(id: replaced[error.index].id, failure: WriteFailure.describe(error))
        }
        outcome.written += replaced.map(\.document)
        for chunk in removed.chunked(by: StoredSelection.idChunk) {
            let filter = BSONDocument([
                "_id": .document(BSONDocument(["$in": .array(Array(chunk))])), "tenant_id": .string(tenantId),
            ]).encoded()
            _ = try connection.deleteMany(collection: collection, filter: filter, session: session)
        }
        outcome.written += changes.filter { $0.after == nil }.map(\.before)
        if let outbox {
            let records = outbox(changes.compactMap { change in
                change.before["_id"].map { (id: $0, document: change.after ?? change.before) }
            })
            if !records.isEmpty {
                let result = try connection.insertMany(
                    collection: OutboxRecord.collection, documents: records.map { $0.encoded() }, ordered: true,
                    session: session)
                if let error = result.writeErrors.first {
                    throw MongoError(kind: .server, code: error.code, message: "outbox: \(error.message)")
                }
            }
        }
        return outcome
    }
}

/// A duplicate key hit while writing one document inside the transaction.
struct DuplicateOnDocument: Error {
    var id: BSON
    var failure: DocumentFailure
}

/// An atomic change that cannot be written whole: nothing was written.
struct AtomicChangeAbort: Error {
    var failed: [(id: BSON, failure: DocumentFailure)]
}
