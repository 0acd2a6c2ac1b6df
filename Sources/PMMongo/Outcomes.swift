/// Result of `insertMany`. With `ordered: false` the documents without an
/// error stay inserted; each failure names its index in the request.
public struct InsertManyOutcome: Sendable, Equatable {
    public var insertedCount: Int
    /// Sorted by index.
    public var writeErrors: [MongoWriteError]

    public init(insertedCount: Int, writeErrors: [MongoWriteError]) {
        self.insertedCount = insertedCount
        self.writeErrors = writeErrors
    }

    public var failedIndexes: Set<Int> { Set(writeErrors.map(\.index)) }
}

/// Result of `updateOne` / `updateMany`.
public struct UpdateOutcome: Sendable, Equatable {
    public var matchedCount: Int
    public var modifiedCount: Int
    public var upsertedCount: Int
    /// When an upsert inserted a document: its id wrapped as the BSON document `{ "_id": <id> }`.
    public var upsertedId: [UInt8]?

    public init(matchedCount: Int, modifiedCount: Int, upsertedCount: Int = 0, upsertedId: [UInt8]? = nil) {
        self.matchedCount = matchedCount
        self.modifiedCount = modifiedCount
        self.upsertedCount = upsertedCount
        self.upsertedId = upsertedId
    }
}

/// Result of `deleteOne` / `deleteMany`.
public struct DeleteOutcome: Sendable, Equatable {
    public var deletedCount: Int

    public init(deletedCount: Int) {
        self.deletedCount = deletedCount
    }
}
