import PMBSON

/// The OpenAPI 3.1 document of a configuration (docs/API.md, "OpenAPI"): every route the gateway
/// serves for `audience`, with request and answer bodies built from the collections' schemas.
/// A pure function of the configuration and the audience, with keys in a fixed order: the same
/// inputs give the same bytes.
public struct OpenAPIDocument: Sendable {
    let config: GatewayConfig
    let audience: OpenAPIAudience

    /// Every collection, action and route: what `permission-mongo openapi` prints.
    public static func everything(_ config: GatewayConfig) -> BSONDocument {
        OpenAPIDocument(config: config, audience: .everyone(config)).document
    }

    private var rateLimits: Bool { !config.server.rateLimits.isEmpty }

    private var collections: [CollectionSchemas] {
        audience.collections.compactMap { name, actions in
            config.collections[name].map {
                CollectionSchemas(collection: $0, actions: actions, policy: config.policies[name], server: config.server)
            }
        }
    }

    private var gatewayPaths: GatewayPaths {
        GatewayPaths(
            audience: audience, access: config.server.openAPI,
            rateLimitHeaders: rateLimits ? OpenAPIHeaders.rateLimit : [])
    }

    var document: BSONDocument {
        [
            "openapi": "3.1.0",
            "info": info,
            "tags": .array(tags),
            "paths": .document(paths),
            "components": .document(components),
            "security": [["bearerAuth": []]],
        ]
    }

    private var info: BSON {
        var said = "Generated from the gateway's configuration; docs/API.md is the reference. Every route needs `Authorization: Bearer <JWT>` except those marked without security. Errors come in the envelope {\"error\":{\"code\",\"message\",\"details\"?},\"meta\":{\"request_id\"}}."
        if audience.isCallers {
            said += " This document holds only the collections and actions of the caller who fetched it."
        }
        return ["title": "Permission Mongo", "version": "1", "description": .string(said)]
    }

    private var tags: [BSON] {
        collections.map { ["name": .string($0.collection.name), "description": .string("Documents of \($0.collection.name).")] }
            + gatewayPaths.tags.map { ["name": .string($0.rawValue), "description": .string($0.description)] }
    }

    private var paths: BSONDocument {
        let rateLimitHeaders = rateLimits ? OpenAPIHeaders.rateLimit : []
        let all = collections.flatMap { CollectionPaths(schemas: $0, rateLimitHeaders: rateLimitHeaders).paths } + gatewayPaths.paths
        var paths = BSONDocument()
        for item in all {
            var operations = BSONDocument()
            for (method, operation) in item.operations { operations.append(method, operation.document(rateLimits: rateLimits)) }
            paths.append(item.path, .document(operations))
        }
        return paths
    }

    private var components: BSONDocument {
        var schemas = SharedSchemas.components(config.server)
        schemas.elements += ErrorEnvelopeSchemas.components.elements
        schemas.elements += MixedBatchSchemas(collections: audience.collections.map(\.name), server: config.server)
            .components.elements
        if audience.hookRoutes { schemas.elements += HookDeliverySchemas.components.elements }
        for collection in collections { schemas.elements += collection.components.elements }
        return [
            "schemas": .document(schemas),
            "parameters": .document(OpenAPIParameters.components(config.server)),
            "headers": .document(OpenAPIHeaders.components),
            "responses": .document(ErrorAnswers.components(rateLimits: rateLimits)),
            "securitySchemes": [
                "bearerAuth": [
                    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "A JWT naming the user, tenant and roles (docs/API.md, \"Tokens\").",
                ],
            ],
        ]
    }
}
