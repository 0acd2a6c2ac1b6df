import Hummingbird
import NIOCore
import PMBSON

/// `POST /batch` and the relationships it creates:
/// `GET /{collection}/{id}/relationships?rel_type=&direction=out|in|both`.
struct MixedBatchRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.post("batch") { request, context in try await Self(gateway: live.current).batch(request, context) }
        router.get("{collection}/{id}/relationships") { request, context in try await Self(gateway: live.current).relationships(request, context) }
    }

    private func batch(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            try await batch(request, context, caller: caller, body: body)
        }
    }

    private func batch(
        _ request: Request, _ context: GatewayRequestContext, caller: Caller, body: ByteBuffer
    ) async throws -> Response {
        let plan = try MixedBatchPlan(body: JSONBody.parse(body), maxBatchSize: gateway.limits.maxBatchSize)
        let batch = MixedBatch(gateway: gateway, caller: caller, plan: plan)
        let quota = gateway.documentQuota(for: caller, context)
        // A validate-only batch writes nothing, so there is nothing for a key to guard.
        guard !plan.options.validateOnly, request.headers[.idempotencyKey] != nil else {
            try quota?.take(plan.writtenDocuments)
            let result = try await batch.run()
            context.documents?.settle(outcomes(of: result, plan))
            return JSONResponse.make(result.status, result.json)
        }
        try await batch.prepare()
        return try await IdempotentWrites(gateway: gateway).respond(request, caller: caller, body: body) { transaction in
            guard let transaction else { throw DomainError.internal("internal error") }
            try quota?.take(plan.writtenDocuments)
            let result = try await batch.run(in: transaction)
            context.documents?.settle(outcomes(of: result, plan))
            return .json(result.status, result.json)
        }
    }

    private func outcomes(of result: MixedBatchResult, _ plan: MixedBatchPlan) -> DocumentOutcomes {
        DocumentOutcomes(batch: result, plan: plan) { gateway.config.collections[$0] != nil }
    }

    private func relationships(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        let parameters = QueryFlags.parameters(request)
        let relType = parameters["rel_type"].flatMap { $0.isEmpty ? nil : $0 }
        if let relType, !RelationshipType.isValid(relType) {
            throw GatewayError.badRequest("rel_type must be 1 to 100 letters, digits, '_', '-' or '.'")
        }
        let direction = try parameters["direction"].map { text in
            guard let direction = ReadRelationships.Direction(rawValue: text) else {
                throw GatewayError.badRequest("direction must be out, in or both")
            }
            return direction
        } ?? .both
        let found = try await ReadRelationships(gateway: gateway, collection: collection, caller: caller)
            .list(id: context.parameters.require("id"), relType: relType, direction: direction)
        return JSONResponse.make(
            .ok, BSONDocument(["data": .array(found.map(BSON.document)), "count": .int64(Int64(found.count))]))
    }
}
