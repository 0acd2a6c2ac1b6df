import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

@Suite("deny_read: hooks see whole documents")
struct DenyReadHookTests {
    @Test func hookPayloadsKeepHiddenFieldsTheCallerDoesNotSee() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_update", path: "/check")])
            .replacingOccurrences(
                of: "editor: { actions: [create, read, update, delete] }",
                with: "editor: { actions: [create, read, update, delete], deny_read: [price] }")
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-7", tenant: "acme", roles: ["editor"])
            let ids = try await api.create("products", token: token, [#"{"name":"Lamp","price":12}"#])
            #expect(try await api.document("products", ids[0], token: token)["price"] == nil)
            let updated = try await api.put("/products/\(ids[0])", token: token, #"{"name":"Desk lamp"}"#)
            #expect(updated.status == .ok)
            #expect(updated.json.string("name") == "Desk lamp")
            #expect(updated.json["price"] == nil)
            let calls = receiver.calls(to: "/check")
            #expect(calls.count == 1)
            #expect(calls.first?.json.document("before")?.int("price") == 12)
        }
        await receiver.stop()
    }
}
