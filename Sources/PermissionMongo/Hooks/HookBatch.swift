import PMBSON

/// The `batch` of a hook envelope: one id per request, and how many documents it has.
struct HookBatch: Sendable, Equatable {
    var id: String
    var size: Int

    /// A fresh id (an ObjectId's hex) for a request of `size` documents.
    static func new(size: Int) -> HookBatch {
        HookBatch(id: ObjectId.generate().hex, size: size)
    }

    var json: BSON {
        .document(BSONDocument(["id": .string(id), "size": .int64(Int64(size))]))
    }
}
