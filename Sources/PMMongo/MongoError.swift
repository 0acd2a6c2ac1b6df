import CMongoC

/// One failed document of a bulk write (`writeErrors[i]` in the server reply).
public struct MongoWriteError: Sendable, Equatable, CustomStringConvertible {
    /// Position of the failed document/operation in the request.
    public var index: Int
    /// Server error code (11000 for a duplicate key).
    public var code: Int
    public var message: String
    /// The complete write-error document as BSON (`index`, `code`, `errmsg`,
    /// and for duplicate keys `keyPattern`/`keyValue` when the server sends them).
    public var document: [UInt8]

    public init(index: Int, code: Int, message: String, document: [UInt8] = []) {
        self.index = index
        self.code = code
        self.message = message
        self.document = document
    }

    public var isDuplicateKey: Bool { MongoError.duplicateKeyCodes.contains(code) }

    public var description: String { "write error at index \(index): code \(code): \(message)" }
}

/// Every failure surfaced by PMMongo. Messages never contain the connection
/// string or credentials.
public struct MongoError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The connection string could not be parsed.
        case invalidURI
        /// A caller argument was unusable (e.g. bytes that are not a BSON document).
        case invalidArgument
        /// The pool was closed, or a connection/session was used outside its job.
        case closed
        /// The server could not be reached or selected (network, timeout, server selection).
        case connection
        /// The server answered with an error (command error, write error, write concern error).
        case server
        /// Any other driver-side failure.
        case driver
    }

    public var kind: Kind
    /// libmongoc error domain (`bson_error_t.domain`), 0 for errors raised by PMMongo itself.
    public var domain: UInt32
    /// Server or driver error code, 0 when none.
    public var code: Int
    public var message: String
    /// Error labels from the reply (`TransientTransactionError`, `UnknownTransactionCommitResult`, ...).
    public var labels: [String]
    /// The server reply (complete BSON document), when there was one.
    public var reply: [UInt8]?
    /// Per-document write errors, when the reply carried any.
    public var writeErrors: [MongoWriteError]

    public init(
        kind: Kind, domain: UInt32 = 0, code: Int = 0, message: String,
        labels: [String] = [], reply: [UInt8]? = nil, writeErrors: [MongoWriteError] = []
    ) {
        self.kind = kind
        self.domain = domain
        self.code = code
        self.message = message
        self.labels = labels
        self.reply = reply
        self.writeErrors = writeErrors
    }

    public static let transientTransactionError = "TransientTransactionError"
    public static let unknownTransactionCommitResult = "UnknownTransactionCommitResult"
    static let duplicateKeyCodes: Set<Int> = [11000, 11001, 12582]

    public func hasLabel(_ label: String) -> Bool { labels.contains(label) }

    /// True when the error itself, or any of its write errors, is a duplicate key (E11000).
    public var isDuplicateKey: Bool {
        Self.duplicateKeyCodes.contains(code) || writeErrors.contains { $0.isDuplicateKey }
    }

    public var isTransientTransactionError: Bool { hasLabel(Self.transientTransactionError) }

    /// Worth running again within the retry budget (`RetryBudget`): labelled
    /// `TransientTransactionError` (a write conflict, a transaction aborted by the server, a
    /// connection lost inside a transaction: nothing of the attempt is applied), but not a
    /// server selection failure, which already waited `serverSelectionTimeoutMS` for an
    /// unreachable backend and fails fast instead.
    public var isTransient: Bool { isTransientTransactionError && !isServerSelectionFailure }

    /// No server could be selected: a command that failed so was never sent.
    public var isServerSelectionFailure: Bool { domain == MONGOC_ERROR_SERVER_SELECTION.rawValue }

    /// `MaxTimeMSExpired` (50): the server stopped the operation at its `maxTimeMS`.
    public var isMaxTimeExpired: Bool { code == 50 && kind == .server }

    /// `IndexOptionsConflict` (85) or `IndexKeySpecsConflict` (86): servers answer either
    /// when an index of that name, or of those keys, exists with other keys or options.
    public var isIndexSpecConflict: Bool { (code == 85 || code == 86) && kind == .server }

    public var description: String {
        var text = "MongoError(\(kind.rawValue)"
        if code != 0 { text += ", code \(code)" }
        text += "): \(message)"
        if !labels.isEmpty { text += " [labels: \(labels.joined(separator: ", "))]" }
        if !writeErrors.isEmpty { text += " [\(writeErrors.count) write error(s)]" }
        return text
    }
}

extension MongoError {
    /// Builds an error from a libmongoc `bson_error_t` and the optional reply.
    init(_ error: bson_error_t, reply: OpaquePointer?, redactor: Redactor) {
        var error = error
        let rawMessage = withUnsafeBytes(of: &error.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let info = reply.map { ReplyInfo(parsing: $0) } ?? ReplyInfo()
        let replyBytes = reply.map(bsonBytes).flatMap { $0.count > 5 ? $0 : nil }
        let kind: Kind
        switch error.domain {
        case MONGOC_ERROR_SERVER.rawValue, MONGOC_ERROR_WRITE_CONCERN.rawValue:
            kind = .server
        case MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_SERVER_SELECTION.rawValue:
            kind = .connection
        default:
            kind = .driver
        }
        self.init(
            kind: kind,
            domain: error.domain,
            code: Int(error.code),
            message: redactor.scrub(rawMessage.isEmpty ? "unknown driver error" : rawMessage),
            labels: info.errorLabels,
            reply: replyBytes,
            writeErrors: info.writeErrors
        )
    }

    static func closed(_ what: String) -> MongoError {
        MongoError(kind: .closed, message: what)
    }
}
