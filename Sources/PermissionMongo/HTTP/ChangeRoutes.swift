import Hummingbird
import NIOCore
import PMBSON

/// Update and delete, batch and single. The single-document routes
/// run the batch path with one id and map its failure to a status.
struct ChangeRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.put("{collection}/batch") { request, context in try await Self(gateway: live.current).updateBatch(request, context) }
        router.delete("{collection}/batch") { request, context in try await Self(gateway: live.current).deleteBatch(request, context) }
        router.put("{collection}/{id}") { request, context in try await Self(gateway: live.current).updateOne(request, context) }
        router.delete("{collection}/{id}") { request, context in try await Self(gateway: live.current).deleteOne(request, context) }
    }

    private func updateBatch(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            let plan = try ChangeBatchPlan(
                body: JSONBody.parse(body), collection: collection, limits: gateway.limits,
                needsUpdate: true)
            let spec = try UpdateSpec.checked(plan.update ?? BSONDocument(), schema: collection.schema)
            let atomic = try QueryFlags.atomic(request)
            let reportDenied = try Self.reportDenied(request, plan.target)
            let quota = gateway.documentQuota(for: caller, context)
            return try await Self.stoppable(request, context, plan.target, atomic: atomic) {
                try await idempotent(request, caller, body) { transaction in
                    var update = UpdateDocuments(
                        gateway: gateway, collection: collection, caller: caller, atomic: atomic, hookUpdate: plan.update)
                    update.transaction = transaction
                    update.quota = quota
                    update.reportDenied = reportDenied
                    update.mayPushDown = true
                    let result = try await update.run(target: plan.target, spec: spec)
                    context.documents?.settle(DocumentOutcomes(changed: result, in: collection.name, batchSize: result.matched))
                    return .json(result.status, result.json)
                }
            }
        }
    }

    private func deleteBatch(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            let plan = try ChangeBatchPlan(
                body: JSONBody.parse(body), collection: collection, limits: gateway.limits,
                needsUpdate: false)
            let atomic = try QueryFlags.atomic(request)
            let reportDenied = try Self.reportDenied(request, plan.target)
            let quota = gateway.documentQuota(for: caller, context)
            return try await Self.stoppable(request, context, plan.target, atomic: atomic) {
                try await idempotent(request, caller, body) { transaction in
                    var delete = DeleteDocuments(gateway: gateway, collection: collection, caller: caller, atomic: atomic)
                    delete.transaction = transaction
                    delete.quota = quota
                    delete.reportDenied = reportDenied
                    delete.mayPushDown = true
                    let result = try await delete.run(target: plan.target)
                    context.documents?.settle(DocumentOutcomes(changed: result, in: collection.name, batchSize: result.matched))
                    return .json(result.status, result.json)
                }
            }
        }
    }

    /// A change by filter that is neither atomic nor keyed runs chunk after chunk: it stops
    /// between chunks when its client has gone away (`ClientPresence`).
    private static func stoppable(
        _ request: Request, _ context: GatewayRequestContext, _ target: DocumentTarget, atomic: Bool,
        _ body: () async throws -> Response
    ) async throws -> Response {
        guard case .filter = target, !atomic, request.headers[.idempotencyKey] == nil else { return try await body() }
        return try await ClientPresence.$current.withValue(ClientPresence(channel: context.channel), operation: body)
    }

    private func updateOne(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        return try await JSONBody.withBytes(request, maxBytes: gateway.limits.maxBodyBytes) { body in
            let update = try JSONBody.parse(body)
            let spec = try UpdateSpec.checked(update, schema: collection.schema)
            let target = try Self.single(context)
            let quota = gateway.documentQuota(for: caller, context)
            return try await idempotent(request, caller, body) { transaction in
                var operation = UpdateDocuments(
                    gateway: gateway, collection: collection, caller: caller, atomic: false, hookUpdate: update)
                operation.transaction = transaction
                operation.quota = quota
                let result = try await operation.run(target: target, spec: spec)
                context.documents?.settle(DocumentOutcomes(changed: result, in: collection.name))
                if let failure = result.failed.first { throw failure.failure }
                guard let document = result.written.first else { throw DomainError.documentNotFound }
                return .json(.ok, gateway.visibility(caller, on: collection).redacted(document))
            }
        }
    }

    private func deleteOne(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        let target = try Self.single(context)
        let quota = gateway.documentQuota(for: caller, context)
        return try await idempotent(request, caller, nil) { transaction in
            var delete = DeleteDocuments(gateway: gateway, collection: collection, caller: caller, atomic: false)
            delete.transaction = transaction
            delete.quota = quota
            let result = try await delete.run(target: target)
            context.documents?.settle(DocumentOutcomes(changed: result, in: collection.name))
            if let failure = result.failed.first { throw failure.failure }
            guard !result.written.isEmpty else { throw DomainError.documentNotFound }
            return .noContent
        }
    }

    private func idempotent(
        _ request: Request, _ caller: Caller, _ body: ByteBuffer?,
        _ route: @Sendable (StoreTransaction?) async throws -> IdempotentWrites.Reply
    ) async throws -> Response {
        try await IdempotentWrites(gateway: gateway).respond(request, caller: caller, body: body, route)
    }

    /// `?report_denied=true`, which only a batch by ids can have: the ids a filter skipped were
    /// never named, so there is nothing to report (400).
    private static func reportDenied(_ request: Request, _ target: DocumentTarget) throws -> Bool {
        guard try QueryFlags.reportDenied(request) else { return false }
        guard case .ids = target else {
            throw GatewayError.badRequest("report_denied applies to a batch by ids, not by filter")
        }
        return true
    }

    /// The `{id}` of a single-document route; an id that cannot exist is simply not found.
    static func single(_ context: GatewayRequestContext) throws -> DocumentTarget {
        guard let id = ObjectId(hex: try context.parameters.require("id")) else {
            throw GatewayError(.notFound, "document not found")
        }
        return .ids([id])
    }
}
