import CMongoC

/// Durability, time limits and the retry budget of a `MongoClientPool`.
///
/// An option the connection string already sets (`w`, `journal`, `wtimeoutMS`,
/// `serverSelectionTimeoutMS`, `connectTimeoutMS`) is kept as written; these values fill
/// in what it leaves out. nil leaves the driver's default.
public struct MongoPoolOptions: Sendable, Equatable {
    /// For every write and every transaction commit (unless the URI names one).
    public var writeConcern: MongoWriteConcern?
    /// How long an operation waits for a usable server before it fails.
    public var serverSelectionTimeoutMS: Int?
    /// How long opening a connection may take.
    public var connectTimeoutMS: Int?
    /// `maxTimeMS` of every find and count (`MongoConnection.limitTime`), and
    /// `maxCommitTimeMS` of every commit.
    public var maxTimeMS: Int?
    /// How long transient errors are retried when no `RetryBudget` is bound
    /// (`RetryBudget.current`); nil: 120 s, as the drivers' convenient transaction API.
    public var retryBudgetMS: Int?

    public static let defaultRetryBudget: Duration = .seconds(120)

    public init(
        writeConcern: MongoWriteConcern? = nil, serverSelectionTimeoutMS: Int? = nil, connectTimeoutMS: Int? = nil,
        maxTimeMS: Int? = nil, retryBudgetMS: Int? = nil
    ) {
        self.writeConcern = writeConcern
        self.serverSelectionTimeoutMS = serverSelectionTimeoutMS
        self.connectTimeoutMS = connectTimeoutMS
        self.maxTimeMS = maxTimeMS
        self.retryBudgetMS = retryBudgetMS
    }

    var retryBudget: Duration { retryBudgetMS.map { .milliseconds($0) } ?? Self.defaultRetryBudget }

    /// Writes the options the URI leaves out into `uri`.
    func apply(to uri: OpaquePointer) {
        if let writeConcern, let current = mongoc_uri_get_write_concern(uri), mongoc_write_concern_is_default(current) {
            let handle = writeConcern.makeHandle()
            mongoc_uri_set_write_concern(uri, handle)
            mongoc_write_concern_destroy(handle)
        }
        for (key, value) in [("serverselectiontimeoutms", serverSelectionTimeoutMS), ("connecttimeoutms", connectTimeoutMS)] {
            if let value, !mongoc_uri_has_option(uri, key) {
                _ = mongoc_uri_set_option_as_int32(uri, key, Int32(clamping: value))
            }
        }
    }
}
