import PMBSON

/// The paths that belong to no one collection: the mixed batch, `/_collections`, `/_hooks`,
/// `/openapi.json` and the health routes (docs/API.md, sections 10, 13 and 14.6).
struct GatewayPaths {
    let audience: OpenAPIAudience
    let access: OpenAPIAccess
    let rateLimitHeaders: [OpenAPIHeaders.Name]

    /// The tags of these paths; a collection name has no space, so they never meet its tag.
    enum Tag: String, CaseIterable {
        case mixedBatch = "Mixed batch"
        case discovery = "Discovery"
        case hooks = "Hook deliveries"
        case health = "Health"

        var description: String {
            switch self {
            case .mixedBatch: "Many operations across collections in one request."
            case .discovery: "What the caller may use: collections, actions, schemas."
            case .hooks: "Post-hook deliveries of the caller's tenant, for callers with one of auth.admin_roles."
            case .health: "Liveness, readiness and metrics, without a token."
            }
        }
    }

    private typealias S = JSONSchemaValues

    var tags: [Tag] {
        Tag.allCases.filter { $0 != .hooks || audience.hookRoutes }
    }

    var paths: [OpenAPIPathItem] {
        var paths = [
            OpenAPIPathItem(path: "/batch", operations: [("post", mixedBatch)]),
            OpenAPIPathItem(path: "/_collections", operations: [("get", collections)]),
        ]
        if audience.hookRoutes {
            paths += [
                OpenAPIPathItem(path: "/_hooks/deliveries", operations: [("get", deliveries)]),
                OpenAPIPathItem(path: "/_hooks/deliveries/retry", operations: [("post", replayMatching)]),
                OpenAPIPathItem(path: "/_hooks/deliveries/{id}/retry", operations: [("post", replayOne)]),
            ]
        }
        if access != .off { paths.append(OpenAPIPathItem(path: "/openapi.json", operations: [("get", openAPI)])) }
        paths += [
            OpenAPIPathItem(path: "/healthz", operations: [("get", healthz)]),
            OpenAPIPathItem(path: "/readyz", operations: [("get", readyz)]),
            OpenAPIPathItem(path: "/metrics", operations: [("get", metrics)]),
        ]
        return paths
    }

    private var mixedBatch: OpenAPIOperation {
        var operation = OpenAPIOperation(
            id: "mixedBatch", tag: Tag.mixedBatch.rawValue, summary: "Run a mixed batch",
            description: "Operations across collections, each checked as if sent alone; atomic by default (docs/API.md, \"Mixed batch\").")
        operation.parameters = OpenAPIParameters.refs([.idempotencyKey])
        operation.requestBody = OpenAPIOperation.jsonBody(S.ref(MixedBatchSchemas.request), description: "The operations and options.")
        let result = S.ref(MixedBatchSchemas.result)
        operation.responses = [
            "200": OpenAPIOperation.json("Every operation's result.", result, headers: [.idempotentReplayed] + rateLimitHeaders),
            "422": OpenAPIOperation.json(
                "An atomic batch failed and nothing was written (the results say why); or `idempotency_key_reused` in the envelope.",
                ["oneOf": [result, S.ref(ErrorEnvelopeSchemas.envelope)]]),
        ]
        operation.errors = [.token, .body, .idempotent, .rateLimited]
        return operation
    }

    private var collections: OpenAPIOperation {
        var operation = OpenAPIOperation(
            id: "listCollections", tag: Tag.discovery.rawValue, summary: "List the caller's collections",
            description: "The collections where the caller has an action, with those actions, versioning, soft delete and the schema (docs/API.md, \"GET /_collections\").")
        operation.responses = ["200": OpenAPIOperation.json("The collections.", S.ref(SharedSchemas.collectionList))]
        operation.errors = .token
        return operation
    }

    private var openAPI: OpenAPIOperation {
        var operation = OpenAPIOperation(
            id: "openAPI", tag: Tag.discovery.rawValue, summary: "This document",
            description: access == .public
                ? "The whole OpenAPI document, without a token (server.openapi: public)."
                : "The OpenAPI document of what the caller may use (server.openapi: authenticated).")
        operation.responses = [
            "200": OpenAPIOperation.json("An OpenAPI 3.1 document.", S.anyObject("OpenAPI 3.1.")),
        ]
        operation.errors = access == .public ? [.internal] : .token
        operation.needsToken = access != .public
        return operation
    }

    private var deliveries: OpenAPIOperation {
        var operation = hookOperation("listHookDeliveries", "List hook deliveries", "Newest first, within the caller's tenant.")
        operation.parameters = OpenAPIParameters.refs([.deliveryStatus, .deliveryCollection, .deliveryEvent, .since, .limit, .after])
        operation.responses = ["200": OpenAPIOperation.json("A page of deliveries.", S.ref(HookDeliverySchemas.page))]
        operation.errors.insert(.badRequest)
        return operation
    }

    private var replayMatching: OpenAPIOperation {
        var operation = hookOperation(
            "replayHookDeliveries", "Replay hook deliveries", "Every matching delivered or dead delivery is pending again, due now.")
        operation.requestBody = OpenAPIOperation.jsonBody(S.ref(HookDeliverySchemas.replayFilter), description: "Which deliveries.")
        operation.responses = ["202": OpenAPIOperation.json("Scheduled.", S.ref(HookDeliverySchemas.replayed))]
        operation.errors.formUnion(.body)
        return operation
    }

    private var replayOne: OpenAPIOperation {
        var operation = hookOperation(
            "replayHookDelivery", "Replay a hook delivery", "A delivered or dead delivery is pending again, due now; a pending one is 409.")
        operation.parameters = OpenAPIParameters.refs([.deliveryId])
        operation.responses = ["202": OpenAPIOperation.json("The delivery as it is now.", S.ref(HookDeliverySchemas.delivery))]
        operation.errors.formUnion([.notFound, .conflict])
        return operation
    }

    private func hookOperation(_ id: String, _ summary: String, _ description: String) -> OpenAPIOperation {
        var operation = OpenAPIOperation(
            id: id, tag: Tag.hooks.rawValue, summary: summary,
            description: description + " (docs/API.md, \"Inspecting and replaying deliveries\")")
        operation.errors = [.token, .forbidden]
        return operation
    }

    private var healthz: OpenAPIOperation {
        health("healthz", "Liveness", ["200": OpenAPIOperation.json("The process serves: {\"status\":\"ok\"}.", S.ref(SharedSchemas.health))])
    }

    private var readyz: OpenAPIOperation {
        var operation = health("readyz", "Readiness", [
            "200": OpenAPIOperation.json("MongoDB answered the last ping (and a key set is loaded): {\"status\":\"ready\"}.", S.ref(SharedSchemas.health)),
        ])
        operation.errors = [.unavailable]
        return operation
    }

    private var metrics: OpenAPIOperation {
        var operation = health("metrics", "Prometheus metrics", [
            "200": [
                "description": "Prometheus text (docs/API.md, \"Health and metrics\").",
                "headers": .document(OpenAPIHeaders.refs([.requestId])),
                "content": ["text/plain; version=0.0.4": ["schema": ["type": "string"]]],
            ],
        ])
        operation.description = "No JWT; with server.metrics_token set, `Authorization: Bearer <metrics_token>`, "
            + "else 401 (docs/API.md, \"Health and metrics\")."
        return operation
    }

    private func health(_ id: String, _ summary: String, _ responses: BSONDocument) -> OpenAPIOperation {
        var operation = OpenAPIOperation(
            id: id, tag: Tag.health.rawValue, summary: summary, description: "No token (docs/API.md, \"Health and metrics\").")
        operation.responses = responses
        operation.needsToken = false
        return operation
    }
}
