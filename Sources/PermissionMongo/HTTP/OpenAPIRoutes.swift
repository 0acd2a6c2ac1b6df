import Hummingbird
import PMBSON

/// `GET /openapi.json`: the OpenAPI 3.1 document (docs/API.md, "OpenAPI"), as `server.openapi`
/// says: `authenticated` needs a valid token and describes what the caller may use, `public`
/// needs none and describes everything, `off` answers 404 like an unknown route. Built for each
/// request from the configuration; not counted by rate limits or tenant shares.
struct OpenAPIRoutes {
    let gateway: Gateway

    /// Each request is answered from the gateway in force when it started (`LiveGateway`): the
    /// document follows a reloaded configuration.
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.get("openapi.json") { request, _ in try await Self(gateway: live.current).document(request) }
    }

    private func document(_ request: Request) async throws -> Response {
        let config = gateway.config
        let audience: OpenAPIAudience
        switch config.server.openAPI {
        case .off: throw GatewayError(.notFound, "no such route")
        case .public: audience = .everyone(config)
        case .authenticated: audience = .caller(try await gateway.authenticate(request), config)
        }
        return JSONResponse.make(.ok, OpenAPIDocument(config: config, audience: audience).document)
    }
}
