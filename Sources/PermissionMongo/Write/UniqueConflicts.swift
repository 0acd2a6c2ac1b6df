import PMBSON

/// Finds unique-field clashes of a batch before an atomic write: between documents of
/// the batch, and (through lookups run in the transaction) with stored documents.
struct UniqueConflicts {
    /// The documents whose value repeats one earlier in the batch.
    let withinBatch: [Int: DocumentFailure]
    private let candidates: [(field: String, values: [(index: Int, value: BSON)])]
    private let tenantId: String

    static let chunkSize = 100

    init(documents: [PreparedDocument], fields: [String], tenantId: String) {
        self.tenantId = tenantId
        var clashes = [Int: DocumentFailure]()
        var candidates: [(String, [(Int, BSON)])] = []
        for field in fields {
            var seen: [(Int, BSON)] = []
            for document in documents {
                guard let value = document.document.value(atPath: field), value != .null else { continue }
                if seen.contains(where: { $0.1 == value }) {
                    if clashes[document.index] == nil {
                        clashes[document.index] = WriteFailure.duplicate(field: field, value: value)
                    }
                } else {
                    seen.append((document.index, value))
                }
            }
            if !seen.isEmpty { candidates.append((field, seen)) }
        }
        withinBatch = clashes
        self.candidates = candidates
    }

    struct Lookup: Sendable {
        var field: String
        var filter: [UInt8]
        var projection: [UInt8]
        var values: [(index: Int, value: BSON)]

        func clashes(with stored: BSONDocument) -> [Int: DocumentFailure] {
            guard let value = stored.value(atPath: field) else { return [:] }
            var out = [Int: DocumentFailure]()
            for candidate in values where candidate.value == value {
                out[candidate.index] = WriteFailure.duplicate(field: field, value: value)
            }
            return out
        }
    }

    /// `{tenant_id, field: {$in: [...]}}` queries, at most `chunkSize` values each.
    func storedLookups() -> [Lookup] {
        var lookups: [Lookup] = []
        for (field, values) in candidates {
            var start = 0
            while start < values.count {
                let chunk = Array(values[start..<min(start + Self.chunkSize, values.count)])
                start += Self.chunkSize
                let filter = BSONDocument([
                    "tenant_id": .string(tenantId),
                    field: .document(BSONDocument(["$in": .array(chunk.map(\.value))])),
                ])
                let projection = BSONDocument([field: .int32(1)])
                lookups.append(Lookup(field: field, filter: filter.encoded(), projection: projection.encoded(), values: chunk))
            }
        }
        return lookups
    }
}
