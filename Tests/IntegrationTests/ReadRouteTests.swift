import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PMBSON
@testable import PermissionMongo
import Testing

@Suite("GET /{collection} and /readyz")
struct ReadRouteTests {
    @Test func listSortsSkipsLimitsAndCountsTheTotal() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token(roles: ["admin"])
            let documents = (1...7).map { #"{"name":"Item \#($0)","price":\#($0 * 10)}"# }
            _ = try await api.post("/products/batch", token: token, #"{"documents":[\#(documents.joined(separator: ","))]}"#)
            let page = try await api.get("/products?sort=-price,name&skip=2&limit=3", token: token)
            #expect(page.status == .ok)
            #expect(page.json.int("count") == 7)
            #expect(page.json.documents("data").compactMap { $0.int("price") } == [50, 40, 30])
            let filtered = try await api.get("/products?filter=%7B%22price%22%3A%7B%22%24gte%22%3A60%7D%7D", token: token)
            #expect(filtered.json.int("count") == 2)
            let defaults = try await api.get("/products", token: token)
            #expect(defaults.json.documents("data").count == 7)
            for bad in ["limit=0", "limit=11", "skip=-1", "sort=$where", "filter=%7Bnope", "filter=%7B%22%24where%22%3A%221%22%7D"] {
                let reply = try await api.get("/products?\(bad)", token: token)
                #expect(reply.status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func readinessIs503WhileMongoDBDoesNotAnswer() async throws {
        let directory = try GatewayHarness.temporaryConfig(["gateway.yml": """
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              notes:
                fields:
                  text: { type: string }
            """])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A port nothing listens on: the gateway starts (no index to create) but is not ready.
        let config = try ConfigLoader.load(directory: directory, environment: [
            "PM_MONGODB_URI": "mongodb://127.0.0.1:9/?directConnection=true&serverSelectionTimeoutMS=300&connectTimeoutMS=300",
        ])
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await GatewayServer(config: config, logger: logger).withApplication { app in
            try await app.test(.live) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .serviceUnavailable)
                #expect(String(buffer: ready.body).contains("\"unavailable\""))
            }
        }
    }
}
