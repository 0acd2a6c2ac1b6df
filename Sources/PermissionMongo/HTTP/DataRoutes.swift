import Hummingbird
import NIOCore
import PMBSON

/// The create and read routes. Every handler runs the checks in the order docs/API.md gives —
/// 401 token, 429 requests, 404 collection, 415/413/400 body, 403 role, 429 documents — before
/// any work.
struct DataRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.post("{collection}/batch") { request, context in try await Self(gateway: live.current).createBatch(request, context) }
        router.post("{collection}") { request, context in try await Self(gateway: live.current).createOne(request, context) }
        router.get("{collection}/{id}") { request, context in try await Self(gateway: live.current).getOne(request, context) }
        router.get("{collection}") { request, context in try await Self(gateway: live.current).list(request, context) }
    }

    private func createBatch(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            try await createBatch(request, context, caller: caller, collection: collection, body: body)
        }
    }

    private func createBatch(
        _ request: Request, _ context: GatewayRequestContext, caller: Caller, collection: CollectionConfig, body: ByteBuffer
    ) async throws -> Response {
        // Parsed once: to BSON bytes on the byte path, to values otherwise. (An invalid
        // `atomic` is reported below, after the body: the order of checks in docs/API.md.)
        let path = CreatePath.choose(
            for: collection, hooks: gateway.hooks, atomic: (try? QueryFlags.atomic(request)) ?? false,
            idempotent: request.headers[.idempotencyKey] != nil)
        path.log(collection: collection.name, requestId: context.requestId, to: gateway.logger)
        let plan: EncodedCreateBatch.Parsed = path == .bytes
            ? try EncodedCreateBatch.parse(body, maxBatchSize: gateway.limits.maxBatchSize)
            : .model(try CreateBatchPlan(body: JSONBody.parse(body), maxBatchSize: gateway.limits.maxBatchSize))
        let atomic = try QueryFlags.atomic(request)
        let permission = try gateway.permission(caller, .create, on: collection)
        let quota = gateway.documentQuota(for: caller, context)
        return try await IdempotentWrites(gateway: gateway).respond(request, caller: caller, body: body) { transaction in
            var create = CreateDocuments(
                gateway: gateway, collection: collection, permission: permission, caller: caller, atomic: atomic)
            create.transaction = transaction
            let result: CreateBatchResult
            let size: Int
            switch plan {
            case .encoded(let batch):
                size = batch.count
                try quota?.take(size)
                result = try await create.run(batch)
            case .model(let plan):
                size = plan.documents.count
                try quota?.take(size)
                result = try await create.run(plan.documents)
            }
            context.documents?.settle(DocumentOutcomes(created: result, in: collection.name, batchSize: size))
            return .json(result.status, result.json)
        }
    }

    /// A batch of one: the same path as the batch route, its failure mapped to a status.
    private func createOne(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            let document = try JSONBody.parse(body)
            let permission = try gateway.permission(caller, .create, on: collection)
            let quota = gateway.documentQuota(for: caller, context)
            return try await IdempotentWrites(gateway: gateway).respond(request, caller: caller, body: body) { transaction in
                try quota?.take(1)
                var create = CreateDocuments(
                    gateway: gateway, collection: collection, permission: permission, caller: caller, atomic: false)
                create.transaction = transaction
                let result = try await create.run([document])
                context.documents?.settle(DocumentOutcomes(created: result, in: collection.name))
                if let failure = result.failed.first { throw failure.failure }
                guard let created = result.created.first else { throw DomainError.internal("internal error") }
                return .json(.created, BSONDocument(["id": .string(created.id.hex)]))
            }
        }
    }

    private func getOne(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        let permission = try gateway.permission(caller, .read, on: collection)
        let document = try await ReadDocuments(
            gateway: gateway, collection: collection, permission: permission, caller: caller
        ).one(id: context.parameters.require("id"))
        return JSONResponse.make(.ok, document)
    }

    private func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        let query = try ListQuery(parameters: QueryFlags.parameters(request), maxLimit: gateway.limits.maxBatchSize)
        let permission = try gateway.permission(caller, .read, on: collection)
        let page = try await ReadDocuments(
            gateway: gateway, collection: collection, permission: permission, caller: caller
        ).list(filter: query.filter, sort: query.sort, skip: query.skip, limit: query.limit)
        return JSONResponse.make(
            .ok, BSONDocument(["data": .array(page.documents.map(BSON.document)), "count": .int64(page.total)]))
    }
}
