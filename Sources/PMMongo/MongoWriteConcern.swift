import CMongoC

/// A write concern: how many members acknowledge a write (`w`), whether it is in the
/// journal first (`j`), and how long to wait for that (`wtimeout`).
public struct MongoWriteConcern: Sendable, Equatable, CustomStringConvertible {
    public enum Acknowledgement: Sendable, Equatable {
        case majority
        case members(Int)
    }

    public var w: Acknowledgement
    /// Journaled before acknowledged; nil leaves it to the server.
    public var journal: Bool?
    /// Milliseconds to wait for `w`; nil or 0 waits without a limit.
    public var timeoutMS: Int?

    public init(w: Acknowledgement = .majority, journal: Bool? = true, timeoutMS: Int? = nil) {
        self.w = w
        self.journal = journal
        self.timeoutMS = timeoutMS
    }

    /// `{w: majority, j: true}`.
    public static let durable = MongoWriteConcern()

    public var description: String {
        var parts: [String] = []
        switch w {
        case .majority: parts.append("w: majority")
        case .members(let count): parts.append("w: \(count)")
        }
        if let journal { parts.append("j: \(journal)") }
        if let timeoutMS { parts.append("wtimeout: \(timeoutMS) ms") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// What `handle` asks for; nil for the driver's default (no write concern sent).
    init?(handle: OpaquePointer) {
        guard !mongoc_write_concern_is_default(handle) else { return nil }
        w = mongoc_write_concern_get_wmajority(handle) ? .majority : .members(Int(mongoc_write_concern_get_w(handle)))
        journal = mongoc_write_concern_journal_is_set(handle) ? mongoc_write_concern_get_journal(handle) : nil
        let timeout = mongoc_write_concern_get_wtimeout_int64(handle)
        timeoutMS = timeout > 0 ? Int(timeout) : nil
    }

    /// A new `mongoc_write_concern_t` the caller destroys.
    func makeHandle() -> OpaquePointer {
        let handle = mongoc_write_concern_new()!
        switch w {
        case .majority: mongoc_write_concern_set_wmajority(handle, Int32(clamping: timeoutMS ?? 0))
        case .members(let count): mongoc_write_concern_set_w(handle, Int32(clamping: count))
        }
        if let journal { mongoc_write_concern_set_journal(handle, journal) }
        if let timeoutMS { mongoc_write_concern_set_wtimeout_int64(handle, Int64(timeoutMS)) }
        return handle
    }
}
