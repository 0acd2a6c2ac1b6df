import PMBSON

/// Consecutive rows of the input holding `chunkSize` documents (fewer at the end) and the
/// unreadable rows among them: what an import sends at once (in pieces of at most the
/// gateway's `max_batch_size`), confirms in its checkpoint and skips when resumed. The
/// chunks of an input depend only on it and the chunk size, never on timing.
struct ImportChunk: Sendable {
    var firstRow: Int
    var lastRow: Int
    var records: [ImportRecord] = []
    /// Rows that could not be read: never sent, rejected with the chunk.
    var localRejects: [Reject] = []
    /// Documents per request: the chunk is sent in consecutive pieces of this size.
    var pieceSize = Int.max

    init(firstRow: Int) {
        self.firstRow = firstRow
        self.lastRow = firstRow - 1
    }

    var isEmpty: Bool { lastRow < firstRow }

    mutating func add(_ record: ImportRecord) {
        lastRow = record.row
        switch record.content {
        case .document:
            records.append(record)
        case .unreadable(let raw, let code, let message):
            localRejects.append(Reject(row: record.row, line: record.line, raw: raw, code: code, message: message))
        }
    }

    /// SHA-256 of the documents and of which rows were unreadable: a resumed import checks
    /// that a chunk it skips is the one its checkpoint confirmed.
    var digest: String {
        var hasher = HexDigest()
        for record in records {
            hasher.update("\(record.row):")
            hasher.update(record.document?.jsonBytes ?? [])
            hasher.update("\n")
        }
        for reject in localRejects { hasher.update("\(reject.row)!\n") }
        return hasher.finalizeHex()
    }
}
