import PMBSON
import Testing
@testable import PermissionMongo

/// Documents passed on as read: their `_id` found without decoding them, and a version
/// embedding them byte for byte as the value model would have encoded them.
@Suite("Stored documents as bytes")
struct StoredBytesTests {
    static let stored = BSONDocument([
        "name": .string("Widget"), "_id": .objectId(ObjectId(hex: "507f1f77bcf86cd799439011")!),
        "dims": .document(BSONDocument(["_id": .int32(7), "w": .double(1.5)])), "tags": .array([.string("a")]),
    ])

    @Test func theTopLevelIdIsFoundWhereverItIs() throws {
        let bytes = Self.stored.encoded()
        #expect(BSONDocument.topLevelValue("_id", inBSON: bytes) == Self.stored["_id"])
        #expect(BSONDocument.topLevelValue("name", inBSON: bytes) == .string("Widget"))
        #expect(BSONDocument.topLevelValue("w", inBSON: bytes) == nil, "only top-level keys")
        #expect(BSONDocument.topLevelValue("_i", inBSON: bytes) == nil)
        #expect(BSONDocument.topLevelValue("_id", inBSON: [1, 2, 3]) == nil)
        let read = try #require(StoredBytes(bytes))
        #expect(read.id == Self.stored["_id"])
        #expect(try read.decoded() == Self.stored)
        #expect(StoredBytes(BSONDocument(["x": .int32(1)]).encoded()) == nil)
    }

    @Test func anEmbeddedDocumentIsEncodedAsTheValueModelEncodesIt() {
        let head = BSONDocument(["_id": .int32(1), "version": .int64(3)])
        let tail = BSONDocument(["updated_by": .string("u"), "updated_at": .date(BSONDate(millisecondsSince1970: 5))])
        var whole = head
        whole.append("data", .document(Self.stored))
        whole.elements += tail.elements
        #expect(VersionRecorder.embedding(Self.stored.encoded(), as: "data", between: head, and: tail) == whole.encoded())
        #expect(
            VersionRecorder.embedding(BSONDocument().encoded(), as: "d", between: BSONDocument(), and: BSONDocument())
                == BSONDocument(["d": .document(BSONDocument())]).encoded())
    }
}
