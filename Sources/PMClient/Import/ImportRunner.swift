/// `permission-mongo import`: streams rows from a reader to `POST /{collection}/batch` in
/// chunks, `concurrency` requests at a time, writes what was not created to the rejects
/// file and keeps the progress display fed. Only `concurrency` chunks (plus the one being
/// filled) are in memory at once.
public final class ImportRunner {
    public struct Settings: Sendable {
        public var collection: String
        public var chunkSize: Int
        public var concurrency: Int
        public var atomic: Bool
        /// `server.max_batch_size` from `--config`, when known: chunks are never larger.
        public var maxBatchSize: Int?

        public init(collection: String, chunkSize: Int = 500, concurrency: Int = 4, atomic: Bool = false, maxBatchSize: Int? = nil) {
            self.collection = collection
            self.chunkSize = chunkSize
            self.concurrency = concurrency
            self.atomic = atomic
            self.maxBatchSize = maxBatchSize
        }
    }

    private let sender: ChunkSender
    private let settings: Settings
    private let reader: any ImportReader
    private let rejects: RejectsWriter
    private let progress: ProgressReporter
    private let notice: (String) -> Void
    private let stats = ImportStats()

    private var chunkSize: Int
    private var pending: [ImportRecord] = []
    private var inFlight = 0
    private var fatal: ClientError?

    /// - Parameter notice: one-line messages for the user (standard error).
    public init(
        http: GatewayHTTP, settings: Settings, reader: any ImportReader, rejects: RejectsWriter,
        progress: ProgressReporter, notice: @escaping (String) -> Void
    ) throws(ClientError) {
        guard settings.chunkSize >= 1 else { throw .usage("--chunk must be at least 1") }
        guard settings.concurrency >= 1 else { throw .usage("--concurrency must be at least 1") }
        self.sender = ChunkSender(http: http, collection: settings.collection, atomic: settings.atomic)
        self.settings = settings
        self.reader = reader
        self.rejects = rejects
        self.progress = progress
        self.notice = notice
        self.chunkSize = settings.chunkSize
        if let limit = settings.maxBatchSize, limit < chunkSize {
            notice("max_batch_size in the configuration is \(limit): sending chunks of \(limit) documents (--chunk \(chunkSize))")
            chunkSize = limit
        }
    }

    public func run() async -> ImportSummary {
        stats.update { $0.totalBytes = reader.totalBytes }
        let ticker = progress.start(stats)
        var readFailure: ClientError?
        await withTaskGroup(of: ChunkOutcome.self) { group in
            while fatal == nil {
                let record: ImportRecord?
                do throws(ClientError) {
                    record = try reader.next()
                } catch {
                    readFailure = error  // the rows read so far still go
                    break
                }
                guard let record else {
                    let bytes = reader.bytesRead
                    stats.update { $0.bytesRead = bytes }
                    break
                }
                accept(record)
                while fatal == nil, pending.count >= chunkSize {
                    await dispatchNextChunk(group: &group)
                }
            }
            while fatal == nil, !pending.isEmpty {
                await dispatchNextChunk(group: &group)
            }
            while let outcome = await group.next() { absorb(outcome) }
        }
        if let fatal, !pending.isEmpty {
            // Read but never sent: the import stopped.
            absorb(ChunkOutcome(rejects: pending.map {
                Reject(row: $0.row, line: $0.line, document: $0.document, code: "not_sent",
                       message: "not sent: the import stopped (\(fatal))")
            }), inFlight: false)
            pending.removeAll()
        }
        await progress.finish(stats, reporter: ticker)
        let kept = rejects.close()
        return ImportSummary(
            counts: stats.snapshot, seconds: stats.elapsedSeconds, rejectsPath: kept ? rejects.path : nil,
            abortedBecause: fatal ?? readFailure)
    }

    private func accept(_ record: ImportRecord) {
        let bytes = reader.bytesRead
        switch record.content {
        case .document:
            pending.append(record)
            stats.update {
                $0.read += 1
                $0.bytesRead = bytes
            }
        case .unreadable(let raw, let code, let message):
            rejects.write(Reject(row: record.row, line: record.line, raw: raw, code: code, message: message))
            stats.update {
                $0.read += 1
                $0.rejected += 1
                $0.rejectedLocally += 1
                $0.bytesRead = bytes
            }
        }
    }

    /// Sends the first `chunkSize` pending rows, first waiting for a free slot.
    private func dispatchNextChunk(group: inout TaskGroup<ChunkOutcome>) async {
        while inFlight >= settings.concurrency, let outcome = await group.next() {
            absorb(outcome)
        }
        guard fatal == nil else { return }
        let size = min(chunkSize, pending.count)  // (absorb may just have lowered chunkSize)
        let chunk = Array(pending.prefix(size))
        pending.removeFirst(size)
        let sender = self.sender
        group.addTask { await sender.send(chunk) }
        inFlight += 1
    }

    private func absorb(_ outcome: ChunkOutcome, inFlight wasInFlight: Bool = true) {
        if wasInFlight { inFlight -= 1 }
        for reject in outcome.rejects { rejects.write(reject) }
        stats.update {
            $0.sent += outcome.sent
            $0.created += outcome.created
            $0.rejected += outcome.rejects.count
        }
        if let limit = outcome.maxBatchSize, limit < chunkSize {
            notice("the gateway's max_batch_size is \(limit): sending chunks of \(limit) documents from now on (--chunk was \(settings.chunkSize))")
            chunkSize = limit
        }
        if fatal == nil, let error = outcome.fatal { fatal = error }
    }
}
