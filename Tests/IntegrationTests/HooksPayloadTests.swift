import PMBSON
import Testing
@testable import PermissionMongo

/// The hook envelopes, built without a gateway (update and delete use them too).
@Suite("hook payloads")
struct HooksPayloadTests {
    let caller = Caller(id: "u1", tenantId: "acme", roles: ["editor", "viewer"])
    let batch = HookBatch(id: "b1", size: 3)
    let id = BSON.objectId(ObjectId(hex: "64b000000000000000000001")!)

    @Test func preCreate() {
        let payload = HookPayload.preCreate(
            collection: "products", caller: caller, index: 2, batch: batch,
            document: BSONDocument(["_id": id, "name": .string("Widget")]))
        #expect(payload.jsonString == #"{"event":"pre_create","collection":"products","tenant_id":"acme","#
            + #""user":{"id":"u1","roles":["editor","viewer"]},"index":2,"batch":{"id":"b1","size":3},"#
            + #""document":{"_id":"64b000000000000000000001","name":"Widget"}}"#)
    }

    @Test func preUpdateCarriesIdBeforeAndUpdate() {
        let payload = HookPayload.preUpdate(
            collection: "products", caller: caller, index: 0, batch: batch, id: id,
            before: BSONDocument(["_id": id, "price": .int32(5)]),
            update: BSONDocument(["$set": .document(BSONDocument(["price": .int32(6)]))]))
        #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "before", "update"])
        #expect(payload["event"] == .string("pre_update"))
        #expect(payload["id"] == id)
        #expect(payload.jsonString.hasSuffix(
            #""id":"64b000000000000000000001","before":{"_id":"64b000000000000000000001","price":5},"#
            + #""update":{"$set":{"price":6}}}"#))
    }

    @Test func preDeleteCarriesIdAndDocument() {
        let payload = HookPayload.preDelete(
            collection: "products", caller: caller, index: 1, batch: batch, id: id,
            document: BSONDocument(["_id": id, "name": .string("Old")]))
        #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "document"])
        #expect(payload["event"] == .string("pre_delete"))
        #expect(payload["index"] == .int64(1))
        #expect(payload["document"] == .document(BSONDocument(["_id": id, "name": .string("Old")])))
    }

    @Test func postEventsCarryIdAndStoredDocument() {
        for event in [HookEvent.postCreate, .postUpdate, .postDelete] {
            let payload = HookPayload.post(
                event, collection: "products", caller: caller, index: 0, batch: batch, id: id,
                document: BSONDocument(["_id": id]))
            #expect(payload["event"] == .string(event.rawValue))
            #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "document"])
        }
    }

    @Test func dryRunIsMarked() {
        let payload = HookPayload.preCreate(
            collection: "products", caller: caller, index: 0, batch: batch, document: BSONDocument(), dryRun: true)
        #expect(payload["dry_run"] == .bool(true))
    }

    @Test func rejectionMessagesNameTheHookAndTheReason() {
        let endpoint = HookEndpoint(url: "http://127.0.0.1:9000/validate", timeoutMs: 2000)
        #expect(PreHookRunner.rejection(.preCreate, endpoint, reason: "status 422").message
                == "pre_create hook http://127.0.0.1:9000/validate rejected the document: status 422")
        #expect(PreHookRunner.rejection(.preCreate, endpoint, reason: "status 422").code == .hookRejected)
    }

    @Test func backoffDoublesUpToTheCap() {
        let backoff = RetryBackoff(settings: HookDeliverySettings(maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 5000))
        #expect((800...1000).contains(backoff.delayMs(afterAttempts: 1)))
        #expect((1600...2000).contains(backoff.delayMs(afterAttempts: 2)))
        #expect((3200...4000).contains(backoff.delayMs(afterAttempts: 3)))
        #expect((4000...5000).contains(backoff.delayMs(afterAttempts: 4)))
        #expect((4000...5000).contains(backoff.delayMs(afterAttempts: 60)))
        #expect(!backoff.isExhausted(afterAttempts: 4))
        #expect(backoff.isExhausted(afterAttempts: 5))
    }

    @Test func configuredHeadersAreSentButNeverReplaceTheGatewaysOwn() {
        let endpoint = HookEndpoint(
            url: "http://h/x", method: "PUT", timeoutMs: 1234,
            headers: ["Authorization": "Bearer abc", "content-type": "text/plain"], secret: "k")
        let request = HookRequest.make(endpoint, event: .postCreate, body: Array("{}".utf8), eventId: "e1", attempt: 2)
        #expect(request.method == "PUT")
        #expect(request.timeoutMilliseconds == 1234)
        let names = request.headers.map { $0.name.lowercased() }
        #expect(names.filter { $0 == "content-type" }.count == 1)
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer abc" })
        #expect(request.headers.contains { $0.name == "X-PM-Event-Id" && $0.value == "e1" })
        #expect(request.headers.contains { $0.name == "X-PM-Delivery-Attempt" && $0.value == "2" })
        #expect(names.contains("x-pm-signature") && names.contains("x-pm-timestamp"))
    }
}
