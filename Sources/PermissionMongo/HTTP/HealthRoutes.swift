import Hummingbird
import PMBSON

/// `/healthz` (the process is up) and `/readyz` (MongoDB answers a ping) (§1).
struct HealthRoutes {
    let gateway: Gateway

    func register(on router: Router<GatewayRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse.make(.ok, BSONDocument(["status": .string("ok")]))
        }
        router.get("readyz") { _, context in
            if await gateway.store.isReachable() {
                return JSONResponse.make(.ok, BSONDocument(["status": .string("ready")]))
            }
            return JSONResponse.error(
                GatewayError(.unavailable, "MongoDB does not answer"), requestId: context.requestId)
        }
    }
}
