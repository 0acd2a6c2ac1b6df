/// What one write request did to each of its documents, by collection, operation and
/// outcome, and how many documents each of its batches had: the numbers behind
/// `pm_documents_total` and `pm_batch_size` (README, "Metrics"). Built from the results the
/// routes answer with, so it counts what the client is told: a document of an atomic batch
/// that was rolled back counts nowhere, the one that failed counts as failed.
struct DocumentOutcomes: Sendable, Equatable {
    enum Operation: String, Sendable {
        case create, update, upsert, delete
    }

    enum Outcome: String, Sendable, CaseIterable {
        case created, updated, deleted
        case failedSchema = "failed_schema"
        case failedPolicy = "failed_policy"
        case failedHook = "failed_hook"
        case duplicate
        case failedWrite = "failed_write"

        /// A document's failure; nil for one that was not found (no document to count).
        init?(_ failure: DocumentFailure.Code) {
            switch failure {
            case .schemaValidation: self = .failedSchema
            case .forbidden: self = .failedPolicy
            case .hookRejected: self = .failedHook
            case .duplicateKey: self = .duplicate
            case .writeFailed: self = .failedWrite
            case .notFound: return nil
            }
        }

        /// A document written, rather than refused.
        var isWrite: Bool { self == .created || self == .updated || self == .deleted }
    }

    struct Key: Hashable, Sendable {
        var collection: String
        var operation: Operation
        var outcome: Outcome
    }

    struct Batch: Hashable, Sendable {
        var collection: String
        var operation: Operation
    }

    private(set) var counts: [Key: Int] = [:]
    /// Documents per batch request; single-document routes have none.
    private(set) var batchSizes: [Batch: Int] = [:]
    /// Requests whose change MongoDB applied without the gateway reading the documents.
    private(set) var pushedDown: [Batch: Int] = [:]

    init() {}

    /// A create of `collection`; `batchSize`: the documents of a batch request.
    init(created result: CreateBatchResult, in collection: String, batchSize: Int? = nil) {
        add(.created, result.rolledBack ? 0 : result.created.count, collection, .create)
        for failed in result.failed { add(failed.failure, collection, .create) }
        if let batchSize { batchSizes[Batch(collection: collection, operation: .create)] = batchSize }
    }

    /// An update or delete of `collection`; `batchSize`: the documents a batch request selected.
    init(changed result: ChangeBatchResult, in collection: String, batchSize: Int? = nil) {
        let operation: Operation = result.kind == .update ? .update : .delete
        add(result.kind == .update ? .updated : .deleted, result.rolledBack ? 0 : result.writtenCount, collection, operation)
        for failed in result.failed { add(failed.failure, collection, operation) }
        if let batchSize { batchSizes[Batch(collection: collection, operation: operation)] = batchSize }
        if result.pushedDown { pushedDown[Batch(collection: collection, operation: operation)] = 1 }
    }

    /// A mixed batch: each create, update, upsert and delete as its result says, and the
    /// batch's size per collection and operation. `isCollection` tells the configured
    /// collections: an operation naming another one refers to no documents. A validate-only
    /// batch writes nothing and counts nothing.
    init(batch result: MixedBatchResult, plan: MixedBatchPlan, isCollection: (String) -> Bool) {
        guard !plan.options.validateOnly else { return }
        for (operation, result) in zip(plan.operations, result.results) {
            guard let (collection, kind) = Self.write(operation), isCollection(collection) else { continue }
            batchSizes[Batch(collection: collection, operation: kind), default: 0] += 1
            switch result.outcome {
            case .succeeded(let status):
                add(Self.written(kind, created: status == .created), 1, collection, kind)
            case .failed(.documentFailed(let failure)):
                add(failure, collection, kind)
            case .failed:
                continue
            }
        }
    }

    private mutating func add(_ outcome: Outcome, _ count: Int, _ collection: String, _ operation: Operation) {
        guard count > 0 else { return }
        counts[Key(collection: collection, operation: operation, outcome: outcome), default: 0] += count
    }

    private mutating func add(_ failure: DocumentFailure, _ collection: String, _ operation: Operation) {
        if let outcome = Outcome(failure.code) { add(outcome, 1, collection, operation) }
    }

    /// The collection and operation of a mixed-batch operation that writes a document.
    private static func write(_ operation: BatchOperation) -> (String, Operation)? {
        switch operation {
        case .create(let collection, _): (collection, .create)
        case .update(let collection, _, _): (collection, .update)
        case .upsert(let collection, _, _): (collection, .upsert)
        case .delete(let collection, _): (collection, .delete)
        case .get, .list, .link, .unlink: nil
        }
    }

    /// What a successful write did: an upsert created (201) or updated its document.
    private static func written(_ operation: Operation, created: Bool) -> Outcome {
        switch operation {
        case .create: .created
        case .update: .updated
        case .upsert: created ? .created : .updated
        case .delete: .deleted
        }
    }

    /// Only the refusals: what counts of a request whose writes did not happen (answered
    /// other than 2xx, e.g. its transaction could not commit).
    var refusalsOnly: DocumentOutcomes {
        var refusals = self
        refusals.counts = counts.filter { !$0.key.outcome.isWrite }
        return refusals
    }
}
