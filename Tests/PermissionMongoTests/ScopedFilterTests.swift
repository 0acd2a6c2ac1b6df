import PMBSON
import Testing
@testable import PermissionMongo

@Suite("ScopedFilter")
struct ScopedFilterTests {
    let ids: BSON = .document(["$in": .array([.objectId(ObjectId(hex: "507f1f77bcf86cd799439011")!)])])

    @Test func flatWhenNamesDoNotCollide() {
        let filter = ScopedFilter.make(
            tenantId: "acme", policy: ["created_by": "u1"], hideDeleted: true, client: ["_id": ids])
        #expect(filter == [
            "_id": ids, "created_by": "u1", "deleted_at": .document(["$exists": false]), "tenant_id": "acme",
        ])
    }

    @Test func collidingNamesStayConjoined() {
        let filter = ScopedFilter.make(
            tenantId: "acme", policy: ["$or": [["a": 1], ["b": 2]]], hideDeleted: false,
            client: ["tenant_id": "evil", "$or": [["tenant_id": "evil"]], "$and": [["x": 1]]])
        #expect(filter == [
            "$or": [["tenant_id": "evil"]], "x": 1, "tenant_id": "acme",
            "$and": [["tenant_id": "evil"], ["$or": [["a": 1], ["b": 2]]]],
        ])
    }

    @Test func andMembersAreFlattened() {
        let filter = ScopedFilter.make(
            tenantId: "acme",
            policy: ["$and": [["created_by": "u1"], ["price": ["$gte": 0]], ["$and": [["category": ["$ne": "x"]]]]]],
            hideDeleted: false, client: ["_id": ids, "price": ["$lt": 5]])
        #expect(filter == [
            "_id": ids, "price": ["$lt": 5], "created_by": "u1", "category": ["$ne": "x"], "tenant_id": "acme",
            "$and": [["price": ["$gte": 0]]],
        ])
    }

    @Test func tenantAloneWithoutOtherConditions() {
        #expect(ScopedFilter.make(tenantId: "t", policy: nil, hideDeleted: false) == ["tenant_id": "t"])
    }
}
