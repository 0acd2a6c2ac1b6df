/// `database:` — how to reach MongoDB.
public struct DatabaseSettings: Sendable, Equatable {
    /// `mongodb://` or `mongodb+srv://` connection string (`uri`, or `PM_MONGODB_URI`).
    public var uri: String
    /// Database name (`name`, or `PM_DATABASE`).
    public var name: String
    /// Maximum connections of the libmongoc client pool (`pool_size`).
    public var poolSize: Int
    /// Run transactions one at a time (`serialize_transactions`), for servers with weak transaction support.
    public var serializeTransactions: Bool

    public init(uri: String, name: String = "app", poolSize: Int = 16, serializeTransactions: Bool = false) {
        self.uri = uri
        self.name = name
        self.poolSize = poolSize
        self.serializeTransactions = serializeTransactions
    }
}
