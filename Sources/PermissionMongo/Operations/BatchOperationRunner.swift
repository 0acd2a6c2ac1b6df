import PMBSON

/// Runs one operation of a mixed batch through the same operations as the per-collection
/// routes (schema, policy, hooks, versions, tenancy), and answers as the single-document
/// route would. Errors a client causes become the result; others are thrown.
struct BatchOperationRunner {
    let gateway: Gateway
    let caller: Caller
    /// The batch's transaction when the batch is atomic or validate-only: every operation
    /// runs in it and is all-or-nothing.
    let transaction: StoreTransaction?
    let dryRun: Bool
    let returnRecords: Bool
    /// When batch-mode hooks are called once for the whole batch (`MixedBatchHooks`).
    var batchHooks: MixedBatchHooks? = nil
    /// The index of the operation running (set by `run`).
    var index = 0

    /// The result of the operation at `index`, and the id later operations may refer to with `{"$ref": index}`.
    func run(_ operation: BatchOperation, index: Int, ids: [Int: BSON]) async throws -> OperationResult {
        var runner = self
        runner.index = index
        do {
            return try await runner.perform(operation, ids: ids)
        } catch let error as DomainError {
            return OperationResult(failure: .refused(error))
        } catch let failure as DocumentFailure {
            return OperationResult(failure: .documentFailed(failure))
        }
    }

    private func perform(_ operation: BatchOperation, ids: [Int: BSON]) async throws -> OperationResult {
        switch operation {
        case .create(let name, let data):
            let collection = try gateway.collection(named: name)
            let document = try BatchReferences.resolve(data, ids: ids)
            let id = try await create(document, in: collection)
            return OperationResult(status: .created, id: .objectId(id), data: try await record(id, in: collection))

        case .update(let name, let reference, let data):
            let collection = try gateway.collection(named: name)
            let id = try objectId(reference, ids: ids)
            let update = try BatchReferences.resolve(data, ids: ids)
            let document = try await self.update(id, in: collection, with: update)
            return OperationResult(status: .ok, id: .objectId(id), data: returned(document, in: collection))

        case .upsert(let name, let match, let data):
            let collection = try gateway.collection(named: name)
            let upsert = UpsertDocument(
                collection: collection, match: try BatchReferences.resolve(match, ids: ids),
                data: try BatchReferences.resolve(data, ids: ids), visibility: gateway.visibility(caller, on: collection),
                maxRegexLength: gateway.limits.maxRegexLength)
            let decision = try await upsert.decide(
                store: gateway.store, tenantId: caller.tenantId, maxBatchSize: gateway.limits.maxBatchSize,
                transaction: transaction)
            switch decision {
            case .insert(let document):
                let id = try await create(document, in: collection)
                return OperationResult(status: .created, id: .objectId(id), data: try await record(id, in: collection))
            case .update(let id):
                let document: BSONDocument
                do {
                    document = try await self.update(id, in: collection, with: data)
                } catch DomainError.notFound {
                    throw DomainError.forbidden("the caller's policy does not allow update of the matching document")
                }
                return OperationResult(status: .ok, id: .objectId(id), data: returned(document, in: collection))
            }

        case .delete(let name, let reference):
            let collection = try gateway.collection(named: name)
            let id = try objectId(reference, ids: ids)
            let delete = DeleteDocuments(
                gateway: gateway, collection: collection, caller: caller, atomic: atomic, dryRun: dryRun,
                transaction: transaction, mixedBatch: hookOperation)
            let result = try await delete.run(target: .ids([id]))
            if let failure = result.failed.first { throw failure.failure }
            guard !result.written.isEmpty else { throw DomainError.documentNotFound }
            return OperationResult(status: .noContent, id: .objectId(id))

        case .get(let name, let reference):
            let collection = try gateway.collection(named: name)
            let id = try objectId(reference, ids: ids)
            let permission = try gateway.permission(caller, .read, on: collection)
            let document = try await ReadDocuments(
                gateway: gateway, collection: collection, permission: permission, caller: caller,
                transaction: transaction
            ).one(id: id.hex)
            return OperationResult(status: .ok, id: .objectId(id), data: .document(document))

        case .list(let name, let query):
            let collection = try gateway.collection(named: name)
            let permission = try gateway.permission(caller, .read, on: collection)
            let page = try await ReadDocuments(
                gateway: gateway, collection: collection, permission: permission, caller: caller,
                transaction: transaction
            ).list(
                filter: BatchReferences.resolve(query.filter, ids: ids), sort: query.sort, skip: query.skip,
                limit: query.limit)
            return OperationResult(status: .ok, data: .array(page.documents.map(BSON.document)), count: page.total)

        case .link(let spec):
            let linked = try await links.link(try ends(spec, ids: ids))
            return OperationResult(status: linked.created ? .created : .ok, id: .objectId(linked.id))

        case .unlink(let spec):
            try await links.unlink(try ends(spec, ids: ids))
            return OperationResult(status: .noContent)
        }
    }

    private func create(_ document: BSONDocument, in collection: CollectionConfig) async throws -> ObjectId {
        let permission = try gateway.permission(caller, .create, on: collection)
        let create = CreateDocuments(
            gateway: gateway, collection: collection, permission: permission, caller: caller, atomic: atomic,
            dryRun: dryRun, transaction: transaction, mixedBatch: hookOperation)
        let result = try await create.run([document])
        if let failure = result.failed.first { throw failure.failure }
        guard let created = result.created.first else { throw DomainError.internal("internal error") }
        return created.id
    }

    private func update(_ id: ObjectId, in collection: CollectionConfig, with update: BSONDocument) async throws -> BSONDocument {
        let spec = try UpdateSpec.checked(update, schema: collection.schema)
        let operation = UpdateDocuments(
            gateway: gateway, collection: collection, caller: caller, atomic: atomic, hookUpdate: update,
            dryRun: dryRun, transaction: transaction, mixedBatch: hookOperation)
        let result = try await operation.run(target: .ids([id]), spec: spec)
        if let failure = result.failed.first { throw failure.failure }
        guard let document = result.written.first else { throw DomainError.documentNotFound }
        return document
    }

    /// The stored document, for `return_records` (as written, within the tenant, without
    /// the fields hidden from the caller).
    private func record(_ id: ObjectId, in collection: CollectionConfig) async throws -> BSON? {
        guard returnRecords else { return nil }
        let filter = BSONDocument(["_id": .objectId(id), "tenant_id": .string(caller.tenantId)])
        return try await gateway.store.findOne(in: collection.name, filter: filter, transaction: transaction)
            .flatMap { returned($0, in: collection) }
    }

    /// A written document for `return_records`, without the fields hidden from the caller.
    private func returned(_ document: BSONDocument, in collection: CollectionConfig) -> BSON? {
        guard returnRecords else { return nil }
        return .document(gateway.visibility(caller, on: collection).redacted(document))
    }

    /// An id that cannot exist is simply not found, as on the single-document routes.
    private func objectId(_ reference: IdReference, ids: [Int: BSON]) throws -> ObjectId {
        switch reference {
        case .literal(let text):
            guard let id = ObjectId(hex: text) else { throw DomainError.documentNotFound }
            return id
        case .ref(let index):
            guard case .objectId(let id) = try BatchReferences.id(of: index, ids: ids) else {
                throw DomainError.documentNotFound
            }
            return id
        }
    }

    private var hookOperation: MixedBatchHooks.Operation? { batchHooks?.operation(index) }

    /// In the batch's transaction, every operation is all-or-nothing.
    private var atomic: Bool { transaction != nil }

    private var links: LinkDocuments { LinkDocuments(gateway: gateway, caller: caller, transaction: transaction) }

    private func ends(_ spec: RelationshipSpec, ids: [Int: BSON]) throws -> LinkDocuments.Ends {
        LinkDocuments.Ends(
            relType: spec.relType,
            source: (spec.source.collection, try objectId(spec.source.id, ids: ids)),
            target: (spec.target.collection, try objectId(spec.target.id, ids: ids)))
    }
}
