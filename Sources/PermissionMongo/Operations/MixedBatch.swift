import Logging
import PMBSON
import PMMongo

/// `POST /batch`: operations in order, each as if sent alone.
///
/// Atomic (the default): all of them in one MongoDB transaction, hook calls included; the
/// first failing operation stops the batch and nothing is written. A write conflict with
/// a concurrent request (`TransientTransactionError`) runs the whole batch again in a new
/// transaction, within the request's retry budget (and at most `maxAttemptsWithPreHooks`
/// times when it calls pre-hooks, which each run calls again). Validate-only: the same,
/// always aborted at the end, hooks told `dry_run`.
/// In both, batch-mode hooks get one call per collection and event (`MixedBatchHooks`)
/// unless every operation runs whatever fails (`continue_on_error`).
/// Not atomic: each operation commits on its own; after a failure the rest are not
/// attempted unless `continue_on_error`; batch-mode hooks get one call per operation.
struct MixedBatch {
    let gateway: Gateway
    let caller: Caller
    let plan: MixedBatchPlan

    /// Runs of a batch whose operations call pre-hooks: every run calls them again.
    static let maxAttemptsWithPreHooks = 5

    /// What must exist before any transaction of the batch begins: the relationships
    /// index, when the batch links (it needs a connection of its own).
    func prepare() async throws {
        if plan.operations.contains(where: \.isLink) { try await gateway.relationshipIndex.ensure(in: gateway.store) }
    }

    /// The batch in the transaction of its `Idempotency-Key`, which the caller commits when the
    /// answer is 200 and aborts otherwise (a rolled-back atomic batch). `prepare()` first.
    func run(in transaction: StoreTransaction) async throws -> MixedBatchResult {
        result(of: try await runOperations(transaction: transaction))
    }

    func run() async throws -> MixedBatchResult {
        let options = plan.options
        guard options.atomic || options.validateOnly else {
            let results = try await runOperations(transaction: nil)
            return MixedBatchResult(results: results, rolledBack: false)
        }
        try await prepare()
        let retries = TransactionOptions(maxAttempts: callsPreHooks ? Self.maxAttemptsWithPreHooks : nil)
        let stopsAtFailure = options.atomic || !options.continueOnError
        let results = try await gateway.store.transaction(options: retries) { transaction in
            let batchHooks = stopsAtFailure
                ? MixedBatchHooks(hooks: gateway.hooks, caller: caller, dryRun: options.validateOnly) : nil
            var results = try await runOperations(transaction: transaction, batchHooks: batchHooks)
            if let batchHooks {
                let limit = results.firstIndex(where: \.failed) ?? results.count
                if let refused = await batchHooks.checkPreHooks(before: limit) {
                    results[refused.operation] = OperationResult(failure: .documentFailed(refused.failure))
                    for later in results.indices where later > refused.operation {
                        results[later] = OperationResult(failure: .notAttempted(after: refused.operation))
                    }
                }
            }
            let keeps = !options.validateOnly && !results.contains(where: \.failed)
            if keeps, let batchHooks { try await batchHooks.recordDeliveries(in: transaction) }
            return keeps ? .commit(results) : .abort(results)
        }
        if !options.validateOnly && !results.contains(where: \.failed) { gateway.hooks.deliverSoon() }
        return result(of: results)
    }

    /// Whether an operation writes to a collection with pre-hooks.
    private var callsPreHooks: Bool {
        plan.operations.contains { operation in
            let collection: String
            switch operation {
            case .create(let name, _), .update(let name, _, _), .upsert(let name, _, _), .delete(let name, _):
                collection = name
            case .get, .list, .link, .unlink:
                return false
            }
            return HookEvent.allCases.contains { $0.isPre && !gateway.hooks.endpoints($0, of: collection).isEmpty }
        }
    }

    /// An atomic batch with a failed operation is rolled back.
    private func result(of results: [OperationResult]) -> MixedBatchResult {
        guard plan.options.atomic, let failing = results.firstIndex(where: { $0.failed }) else {
            return MixedBatchResult(results: results, rolledBack: false)
        }
        return MixedBatchResult(results: Self.rolledBack(results, failing: failing), rolledBack: true)
    }

    /// The operations in order. In a transaction, transient transaction errors are thrown
    /// (the batch runs again); any other driver failure becomes the operation's error
    /// (`DomainError(databaseFailure:settings:)`: `timeout`, `unavailable`), else `internal`,
    /// unless the batch is in a transaction without being atomic: then it is thrown too.
    private func runOperations(
        transaction: StoreTransaction?, batchHooks: MixedBatchHooks? = nil
    ) async throws -> [OperationResult] {
        let options = plan.options
        let runner = BatchOperationRunner(
            gateway: gateway, caller: caller, transaction: transaction, dryRun: options.validateOnly,
            returnRecords: options.returnRecords, batchHooks: batchHooks)
        let stopAtFailure = options.atomic || !options.continueOnError
        var results: [OperationResult] = []
        var ids: [Int: BSON] = [:]
        var firstFailure: Int?
        for (index, operation) in plan.operations.enumerated() {
            if let firstFailure, stopAtFailure {
                results.append(OperationResult(failure: .notAttempted(after: firstFailure)))
                continue
            }
            let result: OperationResult
            do {
                result = try await runner.run(operation, index: index, ids: ids)
            } catch let error as MongoError where transaction != nil && error.isTransientTransactionError {
                throw error
            } catch let again as StoreTransaction.RunAgain {
                throw again  // the batch runs again in a new transaction, without a clashing document
            } catch let error as MongoError where transaction != nil && !options.atomic {
                // MongoDB ends a transaction at a failed statement: a batch that would go on
                // after it (an Idempotency-Key's) fails whole, nothing written.
                throw error
            } catch let error as MongoError {
                gateway.logger.error("mixed batch operation failed", metadata: ["index": "\(index)", "error": "\(error)"])
                let refusal = DomainError(databaseFailure: error, settings: gateway.config.database)
                result = OperationResult(failure: .refused(refusal ?? .internal("internal error")))
            } catch {
                gateway.logger.error(
                    "mixed batch operation failed", metadata: ["index": "\(index)", "error": "\(String(reflecting: error))"])
                result = OperationResult(failure: .refused(.internal("internal error")))
            }
            if result.failed {
                if firstFailure == nil { firstFailure = index }
            } else if let id = result.id {
                ids[index] = id
            }
            results.append(result)
        }
        return results
    }

    /// An atomic batch that failed at `failing`: it keeps its own result, the operations
    /// before it were rolled back, the ones after it not attempted.
    static func rolledBack(_ results: [OperationResult], failing: Int) -> [OperationResult] {
        results.enumerated().map { index, result in
            index < failing ? OperationResult(failure: .rolledBack(by: failing)) : result
        }
    }
}
