/// What became of one chunk of an import.
struct ChunkOutcome: Sendable {
    /// The chunk's rows and digest, for the checkpoint.
    var firstRow = 0
    var lastRow = 0
    var digest = ""
    var sent = 0
    var created = 0
    /// The chunk's rejected rows, unreadable ones included.
    var rejects: [Reject] = []
    var rejectedLocally = 0
    /// Rows whose first request was answered with the stored answer of an earlier one
    /// with the same key (an earlier run's).
    var replayed = 0
    /// The gateway's `max_batch_size`, when it refused a piece as too large.
    var maxBatchSize: Int?
    /// False when some rows got no definite answer (the retries ran out, the import
    /// stopped): a resumed import sends the chunk again.
    var confirmed = true
    /// A failure that makes going on pointless (gateway unreachable, token refused, no such collection).
    var fatal: ClientError?

    /// The counts the checkpoint keeps for a confirmed chunk.
    var counts: ImportCounts {
        var counts = ImportCounts()
        counts.sent = sent
        counts.created = created
        counts.rejected = rejects.count
        counts.rejectedLocally = rejectedLocally
        return counts
    }
}
