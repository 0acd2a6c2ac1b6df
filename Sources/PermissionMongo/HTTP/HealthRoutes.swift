import Hummingbird
import PMBSON

/// `/healthz` (the process is up), `/readyz` (MongoDB answered the background probe's
/// last ping, `DatabaseHealthProbe`, and, with a `jwks_url`, the key set is loaded) and
/// `/metrics` (Prometheus text, `GatewayMetrics`; with `server.metrics_token`, only for a
/// request bearing that token).
struct HealthRoutes {
    let live: LiveGateway
    let health: DatabaseHealth

    func register(on router: Router<GatewayRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse.make(.ok, BSONDocument(["status": .string("ok")]))
        }
        router.get("readyz") { _, context in
            if let reason = live.current.verifier.notReadyReason {
                return JSONResponse.error(GatewayError(.authUnavailable, reason), requestId: context.requestId)
            }
            if health.isReady {
                return JSONResponse.make(.ok, BSONDocument(["status": .string("ready")]))
            }
            return JSONResponse.error(
                GatewayError(.unavailable, "MongoDB does not answer"), requestId: context.requestId)
        }
        router.get("metrics") { request, context in
            let gateway = live.current
            if let token = gateway.metricsToken, !token.admits(request.headers[.authorization]) {
                return JSONResponse.error(
                    GatewayError(.unauthorized, "/metrics needs 'Authorization: Bearer <server.metrics_token>'"),
                    requestId: context.requestId)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: gateway.metrics.exposition())))
        }
    }
}
