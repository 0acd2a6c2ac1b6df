/// What became of one chunk of an import.
struct ChunkOutcome: Sendable {
    var sent = 0
    var created = 0
    var rejects: [Reject] = []
    /// The gateway's `max_batch_size`, when it refused the chunk as too large.
    var maxBatchSize: Int?
    /// A failure that makes going on pointless (gateway unreachable, token refused, no such collection).
    var fatal: ClientError?
}
