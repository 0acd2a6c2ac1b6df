import PMBSON
import PMSchema
import PMTestKit
import Testing
@testable import PermissionMongo

/// Which updates MongoDB may apply without the gateway reading the documents
/// (docs/API.md, "Updates and deletes pushed down"), and what is sent.
@Suite("ServerUpdate: updates pushed down")
struct ServerUpdateTests {
    static let fields = """
        name:   { type: string, required: true, min_length: 3 }
        price:  { type: number, required: true, min: 0 }
        qty:    { type: integer, min: 0 }
        stock:  { type: integer, required: true }
        free:   { type: number }
        rating: { type: number, min: 0, max: 5 }
        level:  { type: integer, max: 10 }
        status: { type: string, enum: [draft, published] }
        note:   { type: string, default: "none" }
        code:   { type: string, unique: true }
        tags:   { type: array, items: { type: string, max_length: 5 } }
        few:    { type: array, max_length: 3 }
        any:    { type: array, required: true }
        dims:   { type: object, fields: { w: { type: number }, unit: { type: string, default: cm } } }
        seen:   { type: date }
        size:   { type: object, fields: { w: { type: number, min: 0 }, h: { type: number }, deep: { type: object, fields: { d: { type: integer } } } } }
        label:  { type: object, fields: { text: { type: string, required: true }, lang: { type: string } } }
        meta:   { type: object }
        ref:    { type: object, fields: { code: { type: string, unique: true }, note: { type: string } } }
        lines:  { type: array, items: { type: object, fields: { qty: { type: integer } } } }
        """

    static func collection(additionalFields: String = "allow", indexes: [DeclaredIndex] = []) throws -> CollectionConfig {
        CollectionConfig(
            name: "things", schema: try compileTestSchema(fields, additionalFields: additionalFields), indexes: indexes)
    }

    static func server(_ update: BSONDocument, _ collection: CollectionConfig? = nil) throws -> ServerUpdate? {
        let collection = try collection ?? Self.collection()
        return ServerUpdate(try UpdateSpec(update, schema: collection.schema), collection: collection)
    }

    @Test func valuesTheirFieldsStoreAsTheyArePushDown() throws {
        let accepted: [BSONDocument] = [
            ["status": "published"],
            ["$set": ["price": 2.5, "name": "long enough", "seen": "2026-01-02T03:04:05Z"]],
            ["$set": ["status": .null]],
            ["$unset": ["status": ""]],
            ["$inc": ["qty": 1, "level": -2, "free": 1.5, "stock": -100]],
            ["$mul": ["free": 2, "stock": 3]],
            ["$min": ["rating": 4], "$max": ["price": 1]],
            ["$push": ["tags": ["$each": ["a", "bb"]]]],
            ["$addToSet": ["any": ["x": 1]]],
            ["$set": ["dims": ["w": 1, "unit": "m"]]],
            ["$set": ["undeclared": ["x": 1]], "$unset": ["other": ""]],
        ]
        for update in accepted { #expect(try Self.server(update) != nil, "\(update.jsonString)") }
    }

    @Test func changesThatNeedTheDocumentDoNot() throws {
        let refused: [BSONDocument] = [
            ["status": "archived"],  // breaks its enum: each document fails, as read–modify–write says
            ["$set": ["name": .null]],  // required
            ["$set": ["stock": 2.0]],  // an integral double is converted to an integer
            ["$set": ["dims": ["w": 1]]],  // a nested default would be appended
            ["$set": ["dims.w": 2]],  // a missing dims would be created without its default unit
            ["$unset": ["price": ""]],  // required
            ["$unset": ["note": ""]],  // has a default
            ["$inc": ["qty": -1]],  // towards its min
            ["$inc": ["level": 1]],  // towards its max
            ["$inc": ["rating": 1]],  // both bounds
            ["$inc": ["stock": 1.5]],  // not an integer
            ["$inc": ["name": 1]],  // not a number field
            ["$mul": ["qty": 2]],  // has a rule
            ["$push": ["few": 1]],  // item count limit
            ["$push": ["tags": "toolong"]],  // item rule
            ["$pull": ["tags": "a"]],
            ["$set": ["code": "X1"]],  // unique
            ["$min": ["rating": 9]],
            ["$inc": ["undeclared": 1]],
        ]
        for update in refused { #expect(try Self.server(update) == nil, "\(update.jsonString)") }
    }

    @Test func pathsInsideObjectFieldsPushDownWhenTheObjectMongoDBMayCreateIsValid() throws {
        let accepted: [BSONDocument] = [
            ["$set": ["size.w": 3]],
            ["$inc": ["size.h": 1.5]],
            ["$inc": ["size.w": 2]],  // away from its min; a created {w: 2} is valid
            ["$mul": ["size.h": 2]],
            ["$unset": ["size.h": ""]],
            ["$set": ["size.deep.d": 4]],
            ["$set": ["label.text": "hello"]],  // a created label holds its required text
            ["$set": ["meta.anything": ["x": 1]]],  // an object without declared fields holds any
            ["$set": ["ref.note": "n"]],  // beside a unique field, not touching it
            ["$set": ["size.w": 1, "status": "draft"], "$unset": ["label.lang": ""]],
        ]
        for update in accepted { #expect(try Self.server(update) != nil, "\(update.jsonString)") }
        let refused: [BSONDocument] = [
            ["$set": ["size.w": -1]],  // breaks its min
            ["$inc": ["size.w": -1]],  // towards its min
            ["$set": ["size.deep.d": 1.5]],  // not an integer
            ["$set": ["label.lang": "en"]],  // a created label would miss its required text
            ["$set": ["size.w": 1, "size.h": 2]],  // two paths inside one field
            ["$set": ["size.w": 1], "$inc": ["size.h": 1]],
            ["$set": ["lines.0.qty": 1]],  // through an array
            ["$set": ["nowhere.x": 1]],  // through an undeclared field
            ["$set": ["status.x": 1]],  // through a string
            ["$set": ["meta.a.b": 1]],  // deeper inside an object without declared fields
            ["$pull": ["size.w": 1]],
            ["$set": ["ref.code": "A1"]],  // unique inside its object
        ]
        for update in refused { #expect(try Self.server(update) == nil, "\(update.jsonString)") }
        let strict = try Self.collection(additionalFields: "reject")
        #expect(try Self.server(["$set": ["size.w": 3]], strict) != nil)
        #expect(try Self.server(["$set": ["size.other": 3]], strict) == nil)
    }

    @Test func undeclaredFieldsOnlyWhenTheSchemaAllowsThem() throws {
        let strict = try Self.collection(additionalFields: "reject")
        #expect(try Self.server(["$set": ["undeclared": 1]], strict) == nil)
        #expect(try Self.server(["$set": ["status": "draft"]], strict) != nil)
    }

    @Test func fieldsOfUniqueIndexesAreNotPushedDown() throws {
        let indexed = try Self.collection(indexes: [DeclaredIndex(fields: [.init("status"), .init("qty")], unique: true)])
        #expect(try Self.server(["$inc": ["qty": 1]], indexed) == nil)
        #expect(try Self.server(["$set": ["free": 1]], indexed) != nil)
        let plain = try Self.collection(indexes: [DeclaredIndex(fields: [.init("qty")])])
        #expect(try Self.server(["$inc": ["qty": 1]], plain) != nil)
    }

    @Test func theUpdateSentCarriesTheServerFieldsInSetLast() throws {
        let now = BSONDate(millisecondsSince1970: 1_000)
        let update = try #require(try Self.server(["$set": ["status": "draft", "free": 1], "$inc": ["stock": 2]]))
        #expect(update.document(now: now, userId: "u1") == [
            "$inc": ["stock": 2],
            "$set": ["free": 1, "status": "draft", "updated_at": .date(now), "updated_by": "u1"],
        ])
        let unsetOnly = try #require(try Self.server(["$unset": ["status": ""]]))
        #expect(unsetOnly.document(now: now, userId: "u1") == [
            "$unset": ["status": ""], "$set": ["updated_at": .date(now), "updated_by": "u1"],
        ])
        let nested = try #require(try Self.server(["$inc": ["size.h": 2]]))
        #expect(nested.document(now: now, userId: "u1") == [
            "$inc": ["size.h": 2], "$set": ["updated_at": .date(now), "updated_by": "u1"],
        ])
        let pushed = try #require(try Self.server(["$push": ["tags": "a"]]))
        #expect(pushed.document(now: now, userId: "u1")["$push"] == ["tags": ["$each": ["a"]]])
    }
}
