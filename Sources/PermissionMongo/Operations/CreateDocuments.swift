import PMBSON
import PMMongo

/// Batch create: per document schema → policy `when` → `pre_create` hooks; the survivors are
/// written with one unordered insertMany, or, when atomic or when `post_create` hooks must be
/// recorded with them, in one transaction (all or none when atomic).
struct CreateDocuments {
    let gateway: Gateway
    let collection: CollectionConfig
    let permission: Permission
    let caller: Caller
    let atomic: Bool
    /// Validate-only mixed batches: `pre_create` payloads carry `dry_run: true`.
    var dryRun = false
    /// The caller's transaction (a mixed batch's, or an `Idempotency-Key`'s) the documents are
    /// written in; nil: one of their own when one is needed.
    var transaction: StoreTransaction? = nil
    /// In a mixed batch that calls batch-mode hooks once for all its operations: this operation.
    var mixedBatch: MixedBatchHooks.Operation? = nil

    func run(_ documents: [BSONDocument]) async throws -> CreateBatchResult {
        var result = CreateBatchResult(atomic: atomic)
        var prepared: [PreparedDocument] = []
        prepared.reserveCapacity(documents.count)
        let now = BSONDate.now()
        for (index, input) in documents.enumerated() {
            switch prepare(input, index: index, now: now) {
            case .success(let document): prepared.append(document)
            case .failure(let failure): result.failed.append((index, failure))
            }
        }
        if atomic && !result.failed.isEmpty { return result }

        // Hooks: pre_create after schema and policy; post_create recorded with the write.
        let hookSteps = CreateHookSteps(
            hooks: gateway.hooks, collection: collection.name, caller: caller, batch: .new(size: documents.count),
            dryRun: dryRun, mixedBatch: mixedBatch)
        let screened = await hookSteps.preCreate(prepared)
        prepared = screened.passed
        result.failed += screened.rejected
        if atomic && !result.failed.isEmpty { return result }
        guard !prepared.isEmpty else { return result }
        let outbox = hookSteps.postCreateRecords(prepared)

        let failures: [Int: DocumentFailure]
        if atomic || !outbox.isEmpty || transaction != nil {
            // In one transaction: post-hook deliveries are recorded with the documents, and in a
            // caller's transaction unique clashes are found before writing (a write error would
            // end it).
            failures = try await gateway.store.insertRecorded(
                prepared, into: collection.name, uniqueFields: collection.schema.uniqueFields,
                tenantId: caller.tenantId, outbox: outbox, atomic: atomic, transaction: transaction)
        } else {
            failures = try await gateway.store.insertEach(prepared, into: collection.name)
        }
        if !outbox.isEmpty { gateway.hooks.deliverSoon() }
        result.record(written: prepared.map { ($0.index, $0.id) }, failures: failures)
        return result
    }

    /// The same for a body already in BSON bytes, on the byte path (`CreatePath.bytes`):
    /// documents go from the request's bytes to the insert's bytes without the value model
    /// (`EncodedNewDocument`); one the byte path does not accept takes the path above, with
    /// the same result.
    func run(_ batch: EncodedCreateBatch) async throws -> CreateBatchResult {
        let schema = collection.schema
        var result = CreateBatchResult(atomic: atomic)
        let now = BSONDate.now()
        var step = EncodedCreateStep(
            newDocument: EncodedNewDocument(schema: schema, caller: caller, now: now), permission: permission)
        var packed = BSONDocumentBatch(reservingBytes: batch.bson.count + batch.count * 96)
        var written: [(index: Int, id: ObjectId)] = []
        written.reserveCapacity(batch.count)
        for index in batch.offsets.indices {
            let id = newId()
            let outcome = batch.bson.withUnsafeBytes { source in
                step.run(clientDocument: batch.offsets[index], in: source, id: id, into: &packed)
            }
            switch outcome {
            case .written:
                written.append((index, id))
                continue
            case .forbidden:
                result.failed.append((index, DocumentFailure(.forbidden, permission.deniedMessage)))
                continue
            case .deferred:
                break
            }
            switch prepare(try batch.document(index), index: index, now: now) {
            case .success(let document):
                packed.append { document.document.encode(into: &$0) }
                written.append((document.index, document.id))
            case .failure(let failure):
                result.failed.append((index, failure))
            }
        }
        if atomic && !result.failed.isEmpty { return result }
        guard !written.isEmpty else { return result }
        let failures = try await gateway.store.insertPacked(
            packed, indices: written.map(\.index), into: collection.name, atomic: atomic, transaction: transaction)
        result.record(written: written, failures: failures)
        return result
    }

    /// In a caller's transaction, the same id in every run of its body (`TransactionRuns`).
    private func newId() -> ObjectId {
        transaction?.newDocumentId() ?? ObjectId.generate()
    }

    private func prepare(_ input: BSONDocument, index: Int, now: BSONDate) -> Result<PreparedDocument, DocumentFailure> {
        let id = newId()
        var document = NewDocument.make(from: input, id: id, caller: caller, now: now)
        if let violation = collection.schema.validate(&document) {
            return .failure(DocumentFailure(.schemaValidation, violation.message))
        }
        guard permission.allows(document) else {
            return .failure(DocumentFailure(.forbidden, permission.deniedMessage))
        }
        return .success(PreparedDocument(index: index, id: id, document: document))
    }
}
