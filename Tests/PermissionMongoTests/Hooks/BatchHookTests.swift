import PMBSON
import Testing
@testable import PermissionMongo

/// Batch-mode payloads and the reading of a batch-mode pre-hook's answer, without a gateway.
@Suite struct BatchHookTests {
    let context = HookContext(
        collection: "products", caller: Caller(id: "u1", tenantId: "acme", roles: ["editor"]),
        batch: HookBatch(id: "b1", size: 5))
    let id = BSON.objectId(ObjectId(hex: "64b000000000000000000001")!)

    @Test func preCreateBatchPayload() {
        let payload = HookPayload.batch(.preCreate, context, [
            .create(index: 0, document: BSONDocument(["name": .string("A")])),
            .create(index: 3, document: BSONDocument(["name": .string("B")])),
        ])
        #expect(payload.jsonString == #"{"event":"pre_create","collection":"products","tenant_id":"acme","#
            + #""user":{"id":"u1","roles":["editor"]},"batch":{"id":"b1","size":5},"#
            + #""documents":[{"index":0,"document":{"name":"A"}},{"index":3,"document":{"name":"B"}}]}"#)
    }

    @Test func updateDeleteAndPostEntries() {
        let update = HookPayload.batch(.preUpdate, context, [
            .update(index: 2, id: id, before: BSONDocument(["p": .int32(1)]), update: BSONDocument(["p": .int32(2)])),
        ])
        #expect(update.jsonString.hasSuffix(
            #""documents":[{"index":2,"id":"64b000000000000000000001","before":{"p":1},"update":{"p":2}}]}"#))
        let delete = HookPayload.batch(.preDelete, context, [.written(index: 1, id: id, document: BSONDocument())])
        #expect(delete.jsonString.hasSuffix(#""documents":[{"index":1,"id":"64b000000000000000000001","document":{}}]}"#))
        var dry = context
        dry.dryRun = true
        let post = HookPayload.batch(.postCreate, dry, [.written(index: 1, id: id, document: BSONDocument())])
        #expect(post.keys == ["event", "collection", "tenant_id", "user", "batch", "dry_run", "documents"])
        #expect(post.jsonString.hasSuffix(#""documents":[{"id":"64b000000000000000000001","document":{}}]}"#))
    }

    @Test func answersThatLetEverythingThrough() {
        for body in ["", "  \n", "{}", #"{"rejected":[]}"#, #"{"rejected":null,"other":1}"#] {
            #expect(BatchHookAnswer.rejections(in: Array(body.utf8), indexes: [0, 1]) == .success([:]), "\(body)")
        }
    }

    @Test func rejectedDocumentsWithTheirReasons() {
        let body = #"{"rejected":[{"index":1,"reason":"duplicate SKU"},{"index":4}]}"#
        #expect(BatchHookAnswer.rejections(in: Array(body.utf8), indexes: [0, 1, 4])
                == .success([1: "duplicate SKU", 4: "no reason given"]))
    }

    @Test(arguments: [
        ("not json", "the answer is not a JSON object"),
        (#"[1]"#, "the answer is not a JSON object"),
        (#"{"rejected":{"index":1}}"#, "the answer's rejected is not a list"),
        (#"{"rejected":[{"index":"1"}]}"#, "the answer's rejected entries need an integer index"),
        (#"{"rejected":[{"index":7,"reason":"x"}]}"#, "the answer names index 7, which is not in the call"),
        (#"{"rejected":[{"index":1,"reason":5}]}"#, "the answer's reason for index 1 is not a string"),
    ])
    func answersThatRefuseTheWholeCall(body: String, reason: String) throws {
        guard case .failure(let refusal) = BatchHookAnswer.rejections(in: Array(body.utf8), indexes: [0, 1]) else {
            Issue.record("\(body) was accepted")
            return
        }
        #expect(refusal.reason.hasPrefix(reason))
    }

    @Test func maskedURLsHideOnlyThePassword() {
        #expect(HookURL.masked("https://user:s3cret@h:8443/p?q=1") == "https://user:***@h:8443/p?q=1")
        #expect(HookURL.masked("http://user@h/x") == "http://user@h/x")
        #expect(HookURL.masked("http://h/a@b") == "http://h/a@b")
    }
}
