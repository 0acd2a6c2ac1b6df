import Foundation
import HTTPTypes
import PMBSON
import PMMongo
import PMTestKit
import PMTestSupport
import PermissionMongo
import Testing

@Suite("Atomic batches retry transient transaction errors")
struct AtomicRetryTests {
    /// SecantusDB's failCommand, scoped to this gateway's appName so parallel tests are
    /// not affected: the first insert of the transaction fails with WriteConflict (112)
    /// and the TransientTransactionError label; the retried transaction succeeds once.
    @Test func transientErrorIsRetriedWithoutDuplicates() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-retry-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                try await TestBackend.failCommand(
                    ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"], times: 1,
                    appName: appName, pool: admin)
                let token = try await api.token()
                let reply = try await api.post("/products/batch?atomic=true", token: token, """
                    {"documents":[{"name":"Retry 1","price":1,"sku":"RTY-1"},{"name":"Retry 2","price":2,"sku":"RTY-2"},
                                  {"name":"Retry 3","price":3,"sku":"RTY-3"}]}
                    """)
                #expect(reply.status == .created, "\(reply.text)")
                let ids = reply.json.strings("created")
                #expect(ids.count == 3)
                let list = try await api.get("/products?limit=10", token: token)
                #expect(list.json.int("count") == 3)
                #expect(Set(list.json.documents("data").compactMap { $0.string("_id") }) == Set(ids))
                // The fail point was used up by the atomic batch (so it was retried): a plain,
                // non-retrying insert through the same client name now goes through.
                let again = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"After","price":1}]}"#)
                #expect(again.status == .created)
                #expect(again.json.strings("created").count == 1)
                let metrics = MetricSamples(try await api.get("/metrics", token: nil).text)
                #expect(metrics["pm_transaction_retries_total"] == 1, "\(metrics.text)")
            }
        }
    }
}
