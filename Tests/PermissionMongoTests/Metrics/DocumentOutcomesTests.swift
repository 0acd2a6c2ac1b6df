import PMBSON
import Testing
@testable import PermissionMongo

/// What the results of writes count: each document once, by outcome; nothing rolled back.
@Suite struct DocumentOutcomesTests {
    typealias Key = DocumentOutcomes.Key
    typealias Batch = DocumentOutcomes.Batch

    static func key(_ operation: DocumentOutcomes.Operation, _ outcome: DocumentOutcomes.Outcome, _ collection: String = "products") -> Key {
        Key(collection: collection, operation: operation, outcome: outcome)
    }

    static let failures: [(index: Int, failure: DocumentFailure)] = [
        (1, DocumentFailure(.schemaValidation, "price must be at least 0")),
        (2, DocumentFailure(.forbidden, "denied")),
        (3, DocumentFailure(.hookRejected, "no")),
        (4, DocumentFailure(.duplicateKey, "sku must be unique")),
        (5, DocumentFailure(.writeFailed, "could not be written")),
        (6, DocumentFailure(.schemaValidation, "name is required")),
    ]

    @Test func aCreateCountsItsDocumentsCreatedAndEachFailureByItsCode() {
        var result = CreateBatchResult(atomic: false)
        result.created = [(0, ObjectId.generate()), (7, ObjectId.generate())]
        result.failed = Self.failures
        let outcomes = DocumentOutcomes(created: result, in: "products", batchSize: 8)
        #expect(outcomes.counts == [
            Self.key(.create, .created): 2, Self.key(.create, .failedSchema): 2, Self.key(.create, .failedPolicy): 1,
            Self.key(.create, .failedHook): 1, Self.key(.create, .duplicate): 1, Self.key(.create, .failedWrite): 1,
        ])
        #expect(outcomes.batchSizes == [Batch(collection: "products", operation: .create): 8])
    }

    @Test func aSingleDocumentRouteHasNoBatchSize() {
        var result = CreateBatchResult(atomic: false)
        result.created = [(0, ObjectId.generate())]
        let outcomes = DocumentOutcomes(created: result, in: "products")
        #expect(outcomes.counts == [Self.key(.create, .created): 1])
        #expect(outcomes.batchSizes.isEmpty)
    }

    @Test func aRolledBackChangeCountsOnlyItsFailures() {
        var result = ChangeBatchResult(kind: .update, atomic: true)
        result.matched = 3
        result.written = [BSONDocument(), BSONDocument()]
        result.failed = [(.int64(1), DocumentFailure(.schemaValidation, "bad"))]
        let outcomes = DocumentOutcomes(changed: result, in: "products", batchSize: result.matched)
        #expect(outcomes.counts == [Self.key(.update, .failedSchema): 1])
        #expect(outcomes.batchSizes == [Batch(collection: "products", operation: .update): 3])
    }

    @Test func aDeleteCountsTheDocumentsDeletedAndNoneNotFound() {
        var result = ChangeBatchResult(kind: .delete, atomic: false)
        result.written = [BSONDocument()]
        result.failed = [(.int64(1), DocumentFailure(.notFound, "gone")), (.int64(2), DocumentFailure(.hookRejected, "no"))]
        #expect(DocumentOutcomes(changed: result, in: "notes").counts == [
            Self.key(.delete, .deleted, "notes"): 1, Self.key(.delete, .failedHook, "notes"): 1,
        ])
    }

    static func plan(_ json: String) throws -> MixedBatchPlan {
        try MixedBatchPlan(body: JSONReader.parseDocument(json), maxBatchSize: 100)
    }

    static let operations = #"""
        {"operations":[
          {"op":"create","collection":"products","data":{"name":"One"}},
          {"op":"upsert","collection":"products","match":{"sku":"A-1"},"data":{"name":"Two"}},
          {"op":"upsert","collection":"products","match":{"sku":"A-2"},"data":{"name":"Three"}},
          {"op":"update","collection":"notes","id":"6b045890ad7d66a8bca293b9","data":{"text":"x"}},
          {"op":"delete","collection":"notes","id":"6b045890ad7d66a8bca293b9"},
          {"op":"get","collection":"notes","id":"6b045890ad7d66a8bca293b9"},
          {"op":"create","collection":"nowhere","data":{"name":"Four"}}
        ]%@}
        """#

    static func batch(options: String = "") throws -> MixedBatchPlan {
        try plan(operations.replacingOccurrences(of: "%@", with: options))
    }

    @Test func aMixedBatchCountsEachWriteAsItsResultSays() throws {
        let result = MixedBatchResult(results: [
            OperationResult(status: .created),
            OperationResult(status: .created),
            OperationResult(status: .ok),
            OperationResult(failure: .documentFailed(DocumentFailure(.schemaValidation, "bad"))),
            OperationResult(failure: .refused(.documentNotFound)),
            OperationResult(status: .ok),
            OperationResult(failure: .refused(.unknownCollection("nowhere"))),
        ], rolledBack: false)
        let outcomes = DocumentOutcomes(batch: result, plan: try Self.batch(options: #","options":{"atomic":false}"#)) {
            $0 != "nowhere"
        }
        #expect(outcomes.counts == [
            Self.key(.create, .created): 1, Self.key(.upsert, .created): 1, Self.key(.upsert, .updated): 1,
            Self.key(.update, .failedSchema, "notes"): 1,
        ])
        #expect(outcomes.batchSizes == [
            Batch(collection: "products", operation: .create): 1, Batch(collection: "products", operation: .upsert): 2,
            Batch(collection: "notes", operation: .update): 1, Batch(collection: "notes", operation: .delete): 1,
        ])
    }

    @Test func aRolledBackMixedBatchCountsOnlyTheFailure() throws {
        let plan = try Self.batch()
        let results = [OperationResult(status: .created), OperationResult(status: .created), OperationResult(status: .ok),
                       OperationResult(failure: .documentFailed(DocumentFailure(.forbidden, "denied")))]
            + (4..<7).map { _ in OperationResult(failure: .notAttempted(after: 3)) }
        let result = MixedBatchResult(results: MixedBatch.rolledBack(results, failing: 3), rolledBack: true)
        let outcomes = DocumentOutcomes(batch: result, plan: plan) { $0 != "nowhere" }
        #expect(outcomes.counts == [Self.key(.update, .failedPolicy, "notes"): 1])
    }

    @Test func aValidateOnlyMixedBatchCountsNothing() throws {
        let result = MixedBatchResult(results: (0..<7).map { _ in OperationResult(status: .created) }, rolledBack: false)
        let outcomes = DocumentOutcomes(batch: result, plan: try Self.batch(options: #","options":{"validate_only":true}"#)) { _ in
            true
        }
        #expect(outcomes == DocumentOutcomes())
    }

    @Test func refusalsOnlyDropsTheDocumentsWritten() {
        var result = CreateBatchResult(atomic: false)
        result.created = [(0, ObjectId.generate())]
        result.failed = [Self.failures[0]]
        let outcomes = DocumentOutcomes(created: result, in: "products", batchSize: 2).refusalsOnly
        #expect(outcomes.counts == [Self.key(.create, .failedSchema): 1])
        #expect(outcomes.batchSizes == [Batch(collection: "products", operation: .create): 2])
    }
}
