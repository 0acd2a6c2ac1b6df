import PMBSON

/// Sends one chunk of documents to `POST /{collection}/batch` and sorts the answer into
/// created rows and rejects. A chunk over the gateway's `max_batch_size` (400 with
/// `details.max_batch_size`) is split into pieces of that size and sent again; one over
/// `max_body_bytes` (413) is halved until it fits.
struct ChunkSender: Sendable {
    let http: GatewayHTTP
    let collection: String
    let atomic: Bool

    var path: String {
        "/\(GatewayHTTP.pathSegment(collection))/batch" + (atomic ? "?atomic=true" : "")
    }

    func send(_ records: [ImportRecord]) async -> ChunkOutcome {
        var outcome = ChunkOutcome()
        await send(records, into: &outcome)
        return outcome
    }

    private func send(_ records: [ImportRecord], into outcome: inout ChunkOutcome) async {
        guard !records.isEmpty else { return }
        let documents = records.compactMap(\.document).map(BSON.document)
        let reply: GatewayReply
        do {
            reply = try await http.post(path, BSONDocument(["documents": .array(documents)]))
        } catch {
            rejectAll(records, code: "request_failed", message: error.description, into: &outcome)
            switch error {
            case .unreachable, .unauthorized: outcome.fatal = outcome.fatal ?? error
            default: break
            }
            return
        }
        if let limit = batchSizeLimit(reply), records.count > 1 {
            outcome.maxBatchSize = min(outcome.maxBatchSize ?? limit, limit)
            let size = max(1, min(limit, records.count - 1))
            for start in stride(from: 0, to: records.count, by: size) {
                await send(Array(records[start..<min(start + size, records.count)]), into: &outcome)
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
        let document = reply.document
        if let document, reply.isSuccess || reply.status == 422, let created = document.array("created"),
           let failed = document.array("failed") {
            absorb(created: created.count, failed: failed, of: records, rolledBack: reply.status == 422, into: &outcome)
            return
        }
        let refusal = reply.refusal
        if case .refused(let status, let code, let message) = refusal {
            rejectAll(records, code: code, message: message, into: &outcome)
            if status == 403 || status == 404 { outcome.fatal = outcome.fatal ?? refusal }
        } else {
            rejectAll(records, code: "unexpected_response", message: refusal.description, into: &outcome)
        }
    }

    /// `created` / `failed` of a batch create; with 422 (atomic) nothing was written.
    private func absorb(created: Int, failed: [BSON], of records: [ImportRecord], rolledBack: Bool, into outcome: inout ChunkOutcome) {
        var failedIndexes: Set<Int> = []
        for item in failed {
            guard let entry = item.documentValue, let index = entry.int("index"), records.indices.contains(index) else { continue }
            failedIndexes.insert(index)
            let error = entry.document("error")
            outcome.rejects.append(reject(
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
            outcome.rejects.append(reject(records[index], code: "rolled_back", message: message))
        }
    }

    /// N of a 400 "Batch size exceeds maximum limit of N".
    private func batchSizeLimit(_ reply: GatewayReply) -> Int? {
        guard reply.status == 400, let envelope = reply.errorEnvelope, envelope.code == "bad_request" else { return nil }
        if let limit = envelope.details?.int("max_batch_size"), limit > 0 { return limit }
        return nil
    }

    private func rejectAll(_ records: [ImportRecord], code: String, message: String, into outcome: inout ChunkOutcome) {
        outcome.rejects += records.map { reject($0, code: code, message: message) }
    }

    private func reject(_ record: ImportRecord, code: String, message: String) -> Reject {
        Reject(row: record.row, line: record.line, document: record.document, code: code, message: message)
    }
}
