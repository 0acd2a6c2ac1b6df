import PMBSON

/// Runs one operation of a mixed batch through the same operations as the per-collection
/// routes (schema, policy, hooks, versions, tenancy), and answers as the single-document
/// route would (§6). Errors a client causes become the result; others are thrown.
struct BatchOperationRunner {
    /// Bound to the batch's transaction when the batch is atomic or validate-only.
    let gateway: Gateway
    let caller: Caller
    /// Inside one transaction: every operation is all-or-nothing and joins it.
    let inTransaction: Bool
    let dryRun: Bool
    let returnRecords: Bool

    /// The result, and the id later operations may refer to with `{"$ref": index}`.
    func run(_ operation: BatchOperation, ids: [Int: BSON]) async throws -> OperationResult {
        do {
            return try await perform(operation, ids: ids)
        } catch let error as GatewayError {
            return OperationResult(error)
        } catch let failure as DocumentFailure {
            return OperationResult(failure.gatewayError)
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
            return OperationResult(status: .ok, id: .objectId(id), data: returnRecords ? .document(document) : nil)

        case .upsert(let name, let match, let data):
            let collection = try gateway.collection(named: name)
            let upsert = UpsertDocument(
                collection: collection, match: try BatchReferences.resolve(match, ids: ids),
                data: try BatchReferences.resolve(data, ids: ids))
            switch try await upsert.decide(store: gateway.store, tenantId: caller.tenantId, maxBatchSize: gateway.limits.maxBatchSize) {
            case .insert(let document):
                let id = try await create(document, in: collection)
                return OperationResult(status: .created, id: .objectId(id), data: try await record(id, in: collection))
            case .update(let id):
                let document: BSONDocument
                do {
                    document = try await self.update(id, in: collection, with: data)
                } catch let error as GatewayError where error.code == GatewayError.Code.notFound.rawValue {
                    throw GatewayError(.forbidden, "the caller's policy does not allow update of the matching document")
                }
                return OperationResult(status: .ok, id: .objectId(id), data: returnRecords ? .document(document) : nil)
            }

        case .delete(let name, let reference):
            let collection = try gateway.collection(named: name)
            let id = try objectId(reference, ids: ids)
            var delete = DeleteDocuments(gateway: gateway, collection: collection, caller: caller, atomic: inTransaction)
            delete.dryRun = dryRun
            let result = try await delete.run(target: .ids([id]))
            if let failure = result.failed.first { throw failure.failure }
            guard !result.written.isEmpty else { throw GatewayError(.notFound, "document not found") }
            return OperationResult(status: .noContent, id: .objectId(id))

        case .get(let name, let reference):
            let collection = try gateway.collection(named: name)
            let id = try objectId(reference, ids: ids)
            let permission = try gateway.permission(caller, .read, on: collection)
            let document = try await ReadDocuments(
                gateway: gateway, collection: collection, permission: permission, caller: caller
            ).one(id: id.hex)
            return OperationResult(status: .ok, id: .objectId(id), data: .document(document))

        case .list(let name, let query):
            let collection = try gateway.collection(named: name)
            let permission = try gateway.permission(caller, .read, on: collection)
            let page = try await ReadDocuments(
                gateway: gateway, collection: collection, permission: permission, caller: caller
            ).list(
                filter: BatchReferences.resolve(query.filter, ids: ids), sort: query.sort, skip: query.skip,
                limit: query.limit)
            return OperationResult(status: .ok, data: .array(page.documents.map(BSON.document)), count: page.total)

        case .link(let spec):
            let linked = try await LinkDocuments(gateway: gateway, caller: caller).link(try ends(spec, ids: ids))
            return OperationResult(status: linked.created ? .created : .ok, id: .objectId(linked.id))

        case .unlink(let spec):
            try await LinkDocuments(gateway: gateway, caller: caller).unlink(try ends(spec, ids: ids))
            return OperationResult(status: .noContent)
        }
    }

    private func create(_ document: BSONDocument, in collection: CollectionConfig) async throws -> ObjectId {
        let permission = try gateway.permission(caller, .create, on: collection)
        var create = CreateDocuments(
            gateway: gateway, collection: collection, permission: permission, caller: caller, atomic: inTransaction)
        create.dryRun = dryRun
        let result = try await create.run([document])
        if let failure = result.failed.first { throw failure.failure }
        guard let created = result.created.first else { throw GatewayError(.internal, "internal error") }
        return created.id
    }

    private func update(_ id: ObjectId, in collection: CollectionConfig, with update: BSONDocument) async throws -> BSONDocument {
        let spec = try UpdateSpec.checked(update, schema: collection.schema)
        var operation = UpdateDocuments(
            gateway: gateway, collection: collection, caller: caller, atomic: inTransaction, hookUpdate: update)
        operation.dryRun = dryRun
        let result = try await operation.run(target: .ids([id]), spec: spec)
        if let failure = result.failed.first { throw failure.failure }
        guard let document = result.written.first else { throw GatewayError(.notFound, "document not found") }
        return document
    }

    /// The stored document, for `return_records` (as written, within the tenant).
    private func record(_ id: ObjectId, in collection: CollectionConfig) async throws -> BSON? {
        guard returnRecords else { return nil }
        let filter = BSONDocument(["_id": .objectId(id), "tenant_id": .string(caller.tenantId)])
        return try await gateway.store.findOne(in: collection.name, filter: filter).map(BSON.document)
    }

    /// An id that cannot exist is simply not found, as on the single-document routes.
    private func objectId(_ reference: IdReference, ids: [Int: BSON]) throws -> ObjectId {
        switch reference {
        case .literal(let text):
            guard let id = ObjectId(hex: text) else { throw GatewayError(.notFound, "document not found") }
            return id
        case .ref(let index):
            guard case .objectId(let id) = try BatchReferences.id(of: index, ids: ids) else {
                throw GatewayError(.notFound, "document not found")
            }
            return id
        }
    }

    private func ends(_ spec: RelationshipSpec, ids: [Int: BSON]) throws -> LinkDocuments.Ends {
        LinkDocuments.Ends(
            relType: spec.relType,
            source: (spec.source.collection, try objectId(spec.source.id, ids: ids)),
            target: (spec.target.collection, try objectId(spec.target.id, ids: ids)))
    }
}
