import PMBSON

/// The post-hook outbox records of a create, made for the documents it ends up writing:
/// per document and document-mode endpoint (encoded once, outside the transaction whose
/// body may run again), and per batch-mode endpoint for all written documents together.
struct OutboxRecords: Sendable {
    /// Document-mode records by the document's request index.
    let perDocument: [Int: [[UInt8]]]
    /// Batch-mode records for the documents at these request indexes; nil without
    /// batch-mode endpoints.
    let batched: (@Sendable ([Int]) -> [BSONDocument])?

    static let none = OutboxRecords(perDocument: [:], batched: nil)

    var isEmpty: Bool { perDocument.isEmpty && batched == nil }

    /// Every record for the documents at `written` (request indexes, in order).
    func encoded(writing written: [Int]) -> [[UInt8]] {
        var records = written.flatMap { perDocument[$0] ?? [] }
        if let batched { records += batched(written).map { $0.encoded() } }
        return records
    }
}
