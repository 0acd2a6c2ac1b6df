import PMBSON

/// Sends one chunk of documents to `POST /{collection}/batch` in pieces of `pieceSize`
/// and sorts the answers into created rows and rejects. Each piece carries an
/// `Idempotency-Key` derived from its rows and body and is sent again with it while the
/// answer is not final (`RetryPolicy`). A piece over the gateway's `max_batch_size` (400
/// with `details.max_batch_size`) is split into pieces of that size and sent again; one
/// over `max_body_bytes` (413) is halved until it fits. The pieces depend only on the
/// chunk, its piece size and the gateway's limits, so a resumed import sends the same ones.
struct ChunkSender: Sendable {
    let http: GatewayHTTP
    let identity: ImportIdentity
    let retry: RetryPolicy
    let notice: @Sendable (String) -> Void

    var path: String {
        "/\(GatewayHTTP.pathSegment(identity.collection))/batch" + (identity.atomic ? "?atomic=true" : "")
    }

    func send(_ chunk: ImportChunk) async -> ChunkOutcome {
        var outcome = ChunkOutcome()
        outcome.firstRow = chunk.firstRow
        outcome.lastRow = chunk.lastRow
        outcome.digest = chunk.digest
        outcome.rejects = chunk.localRejects
        outcome.rejectedLocally = chunk.localRejects.count
        for piece in Self.pieces(chunk.records, size: chunk.pieceSize) {
            await send(piece, into: &outcome)
        }
        return outcome
    }

    /// `records` cut into consecutive runs of `size` (the last one shorter).
    static func pieces(_ records: [ImportRecord], size: Int) -> [[ImportRecord]] {
        let size = max(1, size)
        return stride(from: 0, to: records.count, by: size).map { Array(records[$0..<min($0 + size, records.count)]) }
    }

    private func send(_ records: [ImportRecord], into outcome: inout ChunkOutcome) async {
        guard let first = records.first?.row, let last = records.last?.row else { return }
        if let fatal = outcome.fatal {
            outcome.confirmed = false
            Self.rejectAll(records, code: "not_sent", message: Self.notSentMessage(fatal), into: &outcome)
            return
        }
        let body = BSONDocument(["documents": .array(records.compactMap(\.document).map(BSON.document))]).jsonBytes
        let key = identity.key(firstRow: first, lastRow: last, body: body)
        let notice = self.notice
        let retries = retry.retries
        let answer = await http.sendRetrying("POST", path, json: body, key: key, policy: retry) { retry, delay, reason in
            notice("rows \(first)-\(last): \(reason); sending them again in \(Self.seconds(delay)) s (retry \(retry) of \(retries))")
        }
        let reply: GatewayReply
        switch answer.result {
        case .failure(let error):
            if answer.gaveUpBecause != nil {
                unsettled(records, why: error.description, attempts: answer.attempts, into: &outcome)
            } else {
                outcome.confirmed = false
                Self.rejectAll(records, code: "request_failed", message: error.description, into: &outcome)
            }
            switch error {
            case .unreachable, .unauthorized: outcome.fatal = outcome.fatal ?? error
            default: break
            }
            return
        case .success(let answered):
            reply = answered
        }
        if let limit = batchSizeLimit(reply), records.count > 1 {
            outcome.maxBatchSize = min(outcome.maxBatchSize ?? limit, limit)
            for piece in Self.pieces(records, size: min(limit, records.count - 1)) {
                await send(piece, into: &outcome)
            }
            return
        }
        if reply.status == 413, records.count > 1 {
            let half = records.count / 2
            await send(Array(records[..<half]), into: &outcome)
            await send(Array(records[half...]), into: &outcome)
            return
        }
        outcome.sent += records.count
        if let reason = answer.gaveUpBecause {
            unsettled(records, why: reason, attempts: answer.attempts, into: &outcome)
            return
        }
        // A replay of an earlier attempt of this run is expected; one of the first attempt is news.
        if reply.isReplayed, answer.attempts == 1 { outcome.replayed += records.count }
        let document = reply.document
        if let document, reply.isSuccess || reply.status == 422, let created = document.array("created"),
           let failed = document.array("failed") {
            absorb(created: created.count, failed: failed, of: records, rolledBack: reply.status == 422, into: &outcome)
            return
        }
        let refusal = reply.refusal
        if case .refused(let status, let code, let message) = refusal {
            Self.rejectAll(records, code: code, message: message, into: &outcome)
            if status == 403 || status == 404 {
                outcome.fatal = outcome.fatal ?? refusal
                outcome.confirmed = false
            }
        } else {
            Self.rejectAll(records, code: "unexpected_response", message: refusal.description, into: &outcome)
        }
    }

    /// A chunk read but never sent because the import stopped.
    static func notSent(_ chunk: ImportChunk, because fatal: ClientError) -> ChunkOutcome {
        var outcome = ChunkOutcome()
        outcome.rejects = chunk.localRejects
        outcome.rejectedLocally = chunk.localRejects.count
        outcome.confirmed = false
        Self.rejectAll(chunk.records, code: "not_sent", message: notSentMessage(fatal), into: &outcome)
        return outcome
    }

    private static func notSentMessage(_ fatal: ClientError) -> String {
        "not sent: the import stopped (\(fatal))"
    }

    /// Rows that got no definite answer: perhaps written, perhaps not.
    private func unsettled(_ records: [ImportRecord], why: String, attempts: Int, into outcome: inout ChunkOutcome) {
        outcome.confirmed = false
        let message = "\(why) (no definite answer after \(attempts) attempt\(attempts == 1 ? "" : "s"); the gateway may have "
            + "written some of these rows: run the import again with --resume to send them with the same Idempotency-Key)"
        Self.rejectAll(records, code: "request_failed", message: message, into: &outcome)
    }

    static func seconds(_ value: Double) -> String {
        String(Double((value * 100).rounded()) / 100)
    }

    /// `created` / `failed` of a batch create; with 422 (atomic) nothing was written.
    private func absorb(created: Int, failed: [BSON], of records: [ImportRecord], rolledBack: Bool, into outcome: inout ChunkOutcome) {
        var failedIndexes: Set<Int> = []
        for item in failed {
            guard let entry = item.documentValue, let index = entry.int("index"), records.indices.contains(index) else { continue }
            failedIndexes.insert(index)
            let error = entry.document("error")
            outcome.rejects.append(Self.reject(
                records[index], code: error?.string("code") ?? "failed", message: error?.string("message") ?? ""))
        }
        guard rolledBack else {
            outcome.created += created
            return
        }
        let failedRows = failedIndexes.sorted().map { records[$0].row }
        let named = failedRows.prefix(3).map(String.init).joined(separator: ", ")
        let more = failedRows.count > 3 ? " and \(failedRows.count - 3) more" : ""
        let message = "not written: the chunk was rolled back (--atomic) because row\(failedRows.count == 1 ? "" : "s") \(named)\(more) failed"
        for index in records.indices where !failedIndexes.contains(index) {
            outcome.rejects.append(Self.reject(records[index], code: "rolled_back", message: message))
        }
    }

    /// N of a 400 "Batch size exceeds maximum limit of N".
    private func batchSizeLimit(_ reply: GatewayReply) -> Int? {
        guard reply.status == 400, let envelope = reply.errorEnvelope, envelope.code == "bad_request" else { return nil }
        if let limit = envelope.details?.int("max_batch_size"), limit > 0 { return limit }
        return nil
    }

    private static func rejectAll(_ records: [ImportRecord], code: String, message: String, into outcome: inout ChunkOutcome) {
        outcome.rejects += records.map { reject($0, code: code, message: message) }
    }

    private static func reject(_ record: ImportRecord, code: String, message: String) -> Reject {
        Reject(row: record.row, line: record.line, document: record.document, code: code, message: message)
    }
}
