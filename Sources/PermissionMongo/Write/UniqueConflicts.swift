import PMBSON

/// Finds unique-field clashes before a write, so that a duplicate is a failure of its own
/// document rather than a write error: between the documents being written (keyed by
/// `Key`: a request index for creates, the document's id for changes), and, through lookups
/// run in the write's transaction, with stored documents of the tenant. Stored documents
/// that are themselves being rewritten (`rewritten`) are not counted against the batch,
/// unless their own write is dropped by a clash within the batch: they then keep the value
/// they hold.
///
/// Where several documents of the batch take one value, the one that already holds it
/// (its `before` state has it) keeps it and the others fail; otherwise the first keeps it.
/// Every clash must be found here: a duplicate key at write time ends the transaction, and
/// inside a caller's transaction (an `Idempotency-Key`'s, a mixed batch's) the change
/// cannot be run again without the clashing document.
struct UniqueConflicts<Key: Hashable & Sendable>: Sendable {
    /// The documents whose value repeats one earlier in the batch.
    let withinBatch: [Key: DocumentFailure]
    let lookups: [Lookup]

    static var chunkSize: Int { IdsIn.chunkSize }

    init(
        documents: [(key: Key, document: BSONDocument)], fields: [String], tenantId: String, rewritten: [BSON] = [],
        before: [Key: BSONDocument] = [:]
    ) {
        var clashes = [Key: DocumentFailure]()
        var seenByField: [(field: String, seen: [(key: Key, value: BSON)])] = []
        for field in fields {
            var seen: [(key: Key, value: BSON)] = []
            let holds = { (key: Key, document: BSONDocument) -> Bool in
                before[key].map { $0.value(atPath: field) == document.value(atPath: field) } ?? false
            }
            var holders: [(key: Key, document: BSONDocument)] = [], others: [(key: Key, document: BSONDocument)] = []
            for entry in documents {
                if holds(entry.key, entry.document) { holders.append(entry) } else { others.append(entry) }
            }
            for (key, document) in holders + others {
                guard let value = document.value(atPath: field), value != .null else { continue }
                if seen.contains(where: { $0.value == value }) {
                    if clashes[key] == nil { clashes[key] = WriteFailure.duplicate(field: field, value: value) }
                } else {
                    seen.append((key, value))
                }
            }
            seenByField.append((field, seen))
        }
        // A rewritten document whose write is dropped keeps what it holds (for changes, `Key`
        // is the document's `DocumentKey`).
        let dropped = Set(clashes.keys.map(AnyHashable.init))
        let rewrittenKeys = Set(rewritten.map(DocumentKey.init)).filter { !dropped.contains(AnyHashable($0)) }
        var lookups: [Lookup] = []
        for (field, seen) in seenByField {
            var start = 0
            while start < seen.count {
                let chunk = Array(seen[start..<min(start + Self.chunkSize, seen.count)])
                start += Self.chunkSize
                lookups.append(Lookup(field: field, tenantId: tenantId, values: chunk, rewritten: rewrittenKeys))
            }
        }
        withinBatch = clashes
        self.lookups = lookups
    }

    /// `{tenant_id, field: {$in: [...]}}` for up to `chunkSize` values of one field.
    struct Lookup: Sendable {
        let field: String
        let filter: [UInt8]
        let projection: [UInt8]
        let values: [(key: Key, value: BSON)]
        let rewritten: Set<DocumentKey>

        init(field: String, tenantId: String, values: [(key: Key, value: BSON)], rewritten: Set<DocumentKey>) {
            self.field = field
            self.values = values
            self.rewritten = rewritten
            filter = BSONDocument([
                "tenant_id": .string(tenantId), field: .document(BSONDocument(["$in": .array(values.map(\.value))])),
            ]).encoded()
            projection = BSONDocument(["_id": .int32(1), field: .int32(1)]).encoded()
        }

        func clashes(with stored: BSONDocument) -> [Key: DocumentFailure] {
            if let id = stored["_id"], rewritten.contains(DocumentKey(id)) { return [:] }
            guard let value = stored.value(atPath: field) else { return [:] }
            var out = [Key: DocumentFailure]()
            for candidate in values where candidate.value == value {
                out[candidate.key] = WriteFailure.duplicate(field: field, value: value)
            }
            return out
        }
    }

    /// Every clash with stored documents, found with `connection` (in the write's transaction).
    func stored(on connection: StoreConnection, in collection: String) throws -> [Key: DocumentFailure] {
        var failures: [Key: DocumentFailure] = [:]
        for lookup in lookups {
            for stored in try connection.find(in: collection, filter: lookup.filter, projection: lookup.projection) {
                failures.merge(lookup.clashes(with: stored)) { kept, _ in kept }
            }
        }
        return failures
    }
}
