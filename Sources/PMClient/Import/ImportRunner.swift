import Foundation

/// `permission-mongo import`: streams rows from a reader to `POST /{collection}/batch` in
/// chunks, `concurrency` requests at a time, writes what was not created to the rejects
/// file, keeps the checkpoint that lets a stopped import resume, and keeps the progress
/// display fed. Only `concurrency` chunks (plus the one being filled) are in memory at once.
public final class ImportRunner {
    public struct Settings: Sendable {
        public var collection: String
        public var chunkSize: Int
        public var concurrency: Int
        public var atomic: Bool
        /// `server.max_batch_size` from `--config`, when known: chunks are never larger.
        public var maxBatchSize: Int?
        /// The input as keys and the checkpoint name it (`ImportIdentity.absolute`), `-` for standard input.
        public var input: String
        public var format: ImportFormat
        /// `--import-id`, mixed into every key.
        public var importID: String?
        public var retry: RetryPolicy
        /// Continue the import the checkpoint describes, skipping its confirmed chunks.
        public var resume: Bool

        public init(
            collection: String, chunkSize: Int = 500, concurrency: Int = 4, atomic: Bool = false, maxBatchSize: Int? = nil,
            input: String = "-", format: ImportFormat = .ndjson, importID: String? = nil, retry: RetryPolicy = RetryPolicy(),
            resume: Bool = false
        ) {
            self.collection = collection
            self.chunkSize = chunkSize
            self.concurrency = concurrency
            self.atomic = atomic
            self.maxBatchSize = maxBatchSize
            self.input = input
            self.format = format
            self.importID = importID
            self.retry = retry
            self.resume = resume
        }
    }

    private let sender: ChunkSender
    private let settings: Settings
    private let reader: any ImportReader
    private let rejects: RejectsWriter
    private let checkpoint: ImportCheckpoint
    private let progress: ProgressReporter
    private let notice: @Sendable (String) -> Void
    private let stats = ImportStats()

    private let chunkSize: Int
    /// Documents per request: `chunkSize`, or the gateway's `max_batch_size` once known.
    private var pieceSize: Int
    private var inFlight = 0
    private var unconfirmed = 0
    private var fatal: ClientError?

    /// - Parameters:
    ///   - rejectsPath: the rejects file; the checkpoint is kept beside it.
    ///   - notice: one-line messages for the user (standard error).
    public init(
        http: GatewayHTTP, settings: Settings, reader: any ImportReader, rejectsPath: String,
        progress: ProgressReporter, notice: @escaping @Sendable (String) -> Void
    ) throws(ClientError) {
        guard settings.chunkSize >= 1 else { throw .usage("--chunk must be at least 1") }
        guard settings.concurrency >= 1 else { throw .usage("--concurrency must be at least 1") }
        guard settings.retry.retries >= 0 else { throw .usage("--retries must be 0 or more") }
        guard settings.retry.baseDelay >= 0, settings.retry.baseDelay.isFinite else {
            throw .usage("--retry-delay must be 0 or more seconds")
        }
        var chunkSize = settings.chunkSize
        if let limit = settings.maxBatchSize, limit < chunkSize {
            notice("max_batch_size in the configuration is \(limit): sending chunks of \(limit) documents (--chunk \(chunkSize))")
            chunkSize = limit
        }
        let identity = ImportIdentity(
            input: settings.input, collection: settings.collection, atomic: settings.atomic, importID: settings.importID)
        let checkpointPath = ImportCheckpoint.path(besideRejects: rejectsPath)
        let existed = FileManager.default.fileExists(atPath: checkpointPath)
        let header = ImportCheckpoint.Header.current(identity: identity, format: settings.format.rawValue, chunkSize: chunkSize)
        let checkpoint: ImportCheckpoint
        if settings.resume {
            // The rejects file keeps the lines of the chunks the checkpoint confirmed.
            checkpoint = try ImportCheckpoint(path: checkpointPath, header: header, resume: true)
            do {
                rejects = try RejectsWriter(path: rejectsPath, keepingRowsIn: checkpoint.confirmedRanges)
            } catch {
                if existed { checkpoint.close() } else { checkpoint.remove() }
                throw error
            }
        } else {
            rejects = try RejectsWriter(path: rejectsPath)
            do {
                checkpoint = try ImportCheckpoint(path: checkpointPath, header: header, resume: false)
            } catch {
                rejects.close()
                throw error
            }
        }
        if settings.resume { notice(Self.resumeNote(checkpoint, existed: existed)) }
        if checkpoint.replacedEarlier {
            notice("\(checkpoint.path) of an earlier, unfinished import is replaced: starting over (--resume skips what it confirmed)")
        }
        self.checkpoint = checkpoint
        self.sender = ChunkSender(http: http, identity: identity, retry: settings.retry, notice: notice)
        self.settings = settings
        self.reader = reader
        self.progress = progress
        self.notice = notice
        self.chunkSize = chunkSize
        self.pieceSize = chunkSize
    }

    public func run() async -> ImportSummary {
        stats.update { $0.totalBytes = reader.totalBytes }
        let ticker = progress.start(stats)
        var readFailure: ClientError?
        var chunk = ImportChunk(firstRow: 1)
        await withTaskGroup(of: ChunkOutcome.self) { group in
            while fatal == nil {
                let record: ImportRecord?
                do throws(ClientError) {
                    record = try reader.next()
                } catch {
                    readFailure = error  // the rows read so far still go
                    break
                }
                let bytes = reader.bytesRead
                guard let record else {
                    stats.update { $0.bytesRead = bytes }
                    break
                }
                stats.update {
                    $0.read += 1
                    $0.bytesRead = bytes
                }
                chunk.add(record)
                if chunk.records.count >= chunkSize, await dispatch(chunk, group: &group) {
                    chunk = ImportChunk(firstRow: chunk.lastRow + 1)
                }
            }
            if fatal == nil, !chunk.isEmpty, await dispatch(chunk, group: &group) {
                chunk = ImportChunk(firstRow: chunk.lastRow + 1)
            }
            while let outcome = await group.next() { absorb(outcome) }
        }
        if let fatal, !chunk.isEmpty {
            absorb(ChunkSender.notSent(chunk, because: fatal), inFlight: false)  // read but never sent: the import stopped
        }
        await progress.finish(stats, reporter: ticker)
        let kept = rejects.close()
        let complete = fatal == nil && unconfirmed == 0
        if complete { checkpoint.remove() } else { checkpoint.close() }
        return ImportSummary(
            counts: stats.snapshot, seconds: stats.elapsedSeconds, rejectsPath: kept ? rejects.path : nil,
            abortedBecause: fatal ?? readFailure, checkpointPath: complete ? nil : checkpoint.path, resumed: settings.resume)
    }

    /// Skips `chunk` when the checkpoint confirmed it, else sends it once a slot is free.
    /// False when the import stopped first: the chunk was not sent.
    private func dispatch(_ chunk: ImportChunk, group: inout TaskGroup<ChunkOutcome>) async -> Bool {
        if let entry = checkpoint.confirmed[chunk.firstRow] {
            guard entry.lastRow == chunk.lastRow, entry.digest == chunk.digest else {
                fatal = fatal ?? .input("""
                    rows \(chunk.firstRow)-\(chunk.lastRow) are not the rows \(checkpoint.path) confirmed: the input \
                    changed; remove the checkpoint to start over
                    """)
                return false
            }
            stats.update { $0.add(entry.counts) }
            return true
        }
        while inFlight >= settings.concurrency, let outcome = await group.next() {
            absorb(outcome)
        }
        guard fatal == nil else { return false }
        var chunk = chunk
        chunk.pieceSize = checkpoint.pieceSizes[chunk.firstRow] ?? pieceSize
        checkpoint.recordSending(firstRow: chunk.firstRow, pieceSize: chunk.pieceSize)
        let sender = self.sender
        let sending = chunk
        group.addTask { await sender.send(sending) }
        inFlight += 1
        return true
    }

    private func absorb(_ outcome: ChunkOutcome, inFlight wasInFlight: Bool = true) {
        if wasInFlight { inFlight -= 1 }
        for reject in outcome.rejects { rejects.write(reject) }
        // The rejects are on disk before the checkpoint says the chunk is done.
        rejects.flush()
        if outcome.confirmed {
            checkpoint.recordConfirmed(ImportCheckpoint.Entry(
                firstRow: outcome.firstRow, lastRow: outcome.lastRow, digest: outcome.digest, counts: outcome.counts))
        } else {
            unconfirmed += 1
        }
        stats.update {
            $0.add(outcome.counts)
            $0.replayed += outcome.replayed
        }
        if let limit = outcome.maxBatchSize, limit < pieceSize {
            notice("the gateway's max_batch_size is \(limit): sending chunks of \(limit) documents from now on (--chunk was \(settings.chunkSize))")
            pieceSize = limit
        }
        if fatal == nil, let error = outcome.fatal { fatal = error }
    }

    private static func resumeNote(_ checkpoint: ImportCheckpoint, existed: Bool) -> String {
        guard existed, !checkpoint.confirmed.isEmpty else {
            return "--resume: \(checkpoint.path) \(existed ? "confirms no chunk yet" : "does not exist"): importing from the first row"
        }
        let rows = checkpoint.confirmed.values.reduce(0) { $0 + $1.lastRow - $1.firstRow + 1 }
        return "--resume: skipping \(checkpoint.confirmed.count) chunk(s), \(rows) row(s), confirmed by the earlier run (\(checkpoint.path))"
    }
}
