import PMBSON

/// A stored document as MongoDB sent it, with its `_id`: for documents the gateway passes
/// on whole (a version's `data`) without decoding them.
struct StoredBytes: Sendable {
    let id: BSON
    let bytes: [UInt8]

    /// Nil for bytes without an `_id` (no stored document lacks one).
    init?(_ bytes: [UInt8]) {
        guard let id = BSONDocument.topLevelValue("_id", inBSON: bytes) else { return nil }
        self.id = id
        self.bytes = bytes
    }

    func decoded() throws -> BSONDocument { try BSONDocument(bsonBytes: bytes) }
}
