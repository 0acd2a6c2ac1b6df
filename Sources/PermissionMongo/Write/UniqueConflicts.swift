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
/// (its `before` state has it) keeps it and the others fail; otherwise the first document
/// that is written keeps it: one that fails on another unique field takes no value.
/// Every clash must be found here: a duplicate key at write time ends the transaction, and
/// inside a caller's transaction (an `Idempotency-Key`'s, a mixed batch's) the change
/// cannot be run again without the clashing document.
struct UniqueConflicts<Key: Hashable & Sendable>: Sendable {
    /// The documents whose value repeats one earlier in the batch.
    let withinBatch: [Key: DocumentFailure]
    let lookups: [Lookup]

    static var chunkSize: Int { IdsIn.chunkSize }

    /// Every clash of `documents`, within the batch and with stored documents of the tenant
    /// (looked up with `connection`, in the write's transaction), decided one document after
    /// the other as MongoDB decides them: a document that clashes with a stored one takes no
    /// value from later ones (decided again without it), unless `listEvery` (atomic: nothing
    /// is written, every clash is listed). `leftOut`: documents that are not written (their
    /// failures are reported elsewhere); they take no value, and keep what they hold.
    static func find(
        documents: [(key: Key, document: BSONDocument)], fields: [String], tenantId: String, rewritten: [BSON] = [],
        before: [Key: BSONDocument] = [:], leftOut: Set<Key> = [], listEvery: Bool,
        on connection: StoreConnection, in collection: String
    ) throws -> [Key: DocumentFailure] {
        var failures: [Key: DocumentFailure] = [:]
        var leftOut = leftOut
        while true {
            let conflicts = UniqueConflicts(
                documents: documents, fields: fields, tenantId: tenantId, rewritten: rewritten, before: before,
                leftOut: leftOut)
            let stored = try conflicts.stored(on: connection, in: collection)
            failures.merge(stored) { kept, _ in kept }
            guard !listEvery, !stored.isEmpty, !conflicts.withinBatch.isEmpty else {
                failures.merge(conflicts.withinBatch) { kept, _ in kept }
                return failures
            }
            leftOut.formUnion(stored.keys)  // only documents that took a value are looked up
        }
    }

    init(
        documents: [(key: Key, document: BSONDocument)], fields: [String], tenantId: String, rewritten: [BSON] = [],
        before: [Key: BSONDocument] = [:], leftOut: Set<Key> = []
    ) {
        let holds = { (key: Key, field: String, value: BSON) -> Bool in
            before[key].map { $0.value(atPath: field) == value } ?? false
        }
        // The values the documents already hold stay theirs, whatever else happens to them (a
        // document whose write is dropped keeps what it holds).
        var held: [[(key: Key, value: BSON)]] = fields.map { _ in [] }
        for (index, field) in fields.enumerated() {
            for (key, document) in documents {
                if let value = document.value(atPath: field), value != .null, holds(key, field, value) {
                    held[index].append((key, value))
                }
            }
        }
        // Then one document after the other, as MongoDB decides them: one fails at its first
        // value held or taken by another, and takes none of its values from later ones.
        var clashes = [Key: DocumentFailure]()
        var taken: [[(key: Key, value: BSON)]] = fields.map { _ in [] }
        for (key, document) in documents where !leftOut.contains(key) {
            var values: [(field: Int, value: BSON)] = []
            var failure: DocumentFailure?
            for (index, field) in fields.enumerated() {
                guard let value = document.value(atPath: field), value != .null, !holds(key, field, value) else { continue }
                if held[index].contains(where: { $0.value == value }) || taken[index].contains(where: { $0.value == value }) {
                    failure = WriteFailure.duplicate(field: field, value: value)
                    break
                }
                values.append((index, value))
            }
            if let failure {
                clashes[key] = failure
            } else {
                for (index, value) in values { taken[index].append((key, value)) }
            }
        }
        // A rewritten document whose write is dropped keeps what it holds (for changes, `Key`
        // is the document's `DocumentKey`).
        let dropped = Set(clashes.keys.map(AnyHashable.init)).union(leftOut.map(AnyHashable.init))
        let rewrittenKeys = Set(rewritten.map(DocumentKey.init)).filter { !dropped.contains(AnyHashable($0)) }
        var lookups: [Lookup] = []
        for (index, field) in fields.enumerated() {
            // What the written documents will hold, checked against the stored ones.
            let written = (held[index] + taken[index]).filter { clashes[$0.key] == nil && !leftOut.contains($0.key) }
            var start = 0
            while start < written.count {
                let chunk = Array(written[start..<min(start + Self.chunkSize, written.count)])
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
