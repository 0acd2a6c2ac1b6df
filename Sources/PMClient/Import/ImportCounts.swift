import Foundation

/// How far an import is.
public struct ImportCounts: Sendable, Equatable {
    /// Rows read from the file (documents and unreadable rows).
    public var read = 0
    /// Rows sent to the gateway in a request that was answered.
    public var sent = 0
    public var created = 0
    /// Rows not written: unreadable, refused by the gateway, rolled back or lost with a request.
    public var rejected = 0
    /// Of `rejected`, the rows that could not be read and were never sent.
    public var rejectedLocally = 0
    public var bytesRead = 0
    public var totalBytes: Int?
    /// Of `sent`, rows the gateway answered at the first request from an earlier one with
    /// the same `Idempotency-Key` (written then, not again).
    public var replayed = 0

    public init() {}

    /// Rows with a final outcome.
    public var done: Int { created + rejected }

    /// Adds the outcome counts (sent, created, rejected) of a chunk.
    mutating func add(_ other: ImportCounts) {
        sent += other.sent
        created += other.created
        rejected += other.rejected
        rejectedLocally += other.rejectedLocally
    }
}

/// `ImportCounts` shared between the import and its progress display.
final class ImportStats: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = ImportCounts()
    let started = ContinuousClock.now

    func update(_ change: (inout ImportCounts) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&counts)
    }

    var snapshot: ImportCounts {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }

    var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
