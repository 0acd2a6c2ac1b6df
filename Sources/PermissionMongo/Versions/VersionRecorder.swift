import PMBSON

/// Writes `_pm_versions` inside the transaction of the change it records:
/// one document per saved state, numbered 1, 2, 3… per document, pruned by
/// `max_versions` and `retention_days`.
///
/// Numbering is safe under concurrency because every change also rewrites the document
/// itself in the same transaction: two writers of one document conflict and one retries,
/// re-reading the latest number. A unique index on (collection, doc_id, version) backs it.
struct VersionRecorder: Sendable {
    static let collection = "_pm_versions"

    let collectionName: String
    let settings: VersioningSettings
    let tenantId: String
    let userId: String

    struct Change: Sendable {
        var before: BSONDocument
        var after: BSONDocument?
        var op: VersionOp
    }

    /// Saves the previous state of every changed document, in the change's transaction.
    func record(_ changes: [Change], now: BSONDate, in transaction: StoreConnection) throws {
        guard settings.enabled else { return }
        let changes = changes.compactMap { change in change.before["_id"].map { (id: $0, change: change) } }
        try save(changes.map(\.id), now: now, in: transaction) { index, version in
            let (id, change) = changes[index]
            let mode: VersioningSettings.Mode = change.op == .delete ? .full : settings.mode
            var document = head(id: id, version: version, op: change.op, mode: mode)
            if mode == .full || change.after == nil {
                document.append("data", .document(change.before))
            } else if let after = change.after {
                document.append("changes", .array(VersionDiff.changes(from: change.before, to: after)))
            }
            document.elements += tail(now: now).elements
            return document.encoded()
        }
    }

    /// The same for documents saved whole (deletes, and updates with `mode: full`), read as
    /// bytes: each becomes the version's `data` as it was read, without being decoded.
    func recordWhole(_ documents: [StoredBytes], op: VersionOp, now: BSONDate, in transaction: StoreConnection) throws {
        guard settings.enabled else { return }
        try save(documents.map(\.id), now: now, in: transaction) { index, version in
            let stored = documents[index]
            return Self.embedding(
                stored.bytes, as: "data", between: head(id: stored.id, version: version, op: op, mode: .full),
                and: tail(now: now))
        }
    }

    /// Numbers the versions of `ids` (one each, in order), inserts `versionDocument(index,
    /// number)` for each and prunes.
    private func save(
        _ ids: [BSON], now: BSONDate, in transaction: StoreConnection,
        versionDocument: (Int, Int64) -> [UInt8]
    ) throws {
        guard !ids.isEmpty else { return }
        let latest = try latestVersions(of: ids, in: transaction)
        var documents: [[UInt8]] = []
        documents.reserveCapacity(ids.count)
        var saved: [(id: BSON, version: Int64)] = []
        for (index, id) in ids.enumerated() {
            let version = (latest[DocumentKey(id)] ?? 0) + 1
            saved.append((id, version))
            documents.append(versionDocument(index, version))
        }
        try transaction.insertAll(documents, into: Self.collection, what: "saving versions failed")
        try prune(saved, now: now, in: transaction)
    }

    /// A version's fields before its content.
    private func head(id: BSON, version: Int64, op: VersionOp, mode: VersioningSettings.Mode) -> BSONDocument {
        var document = BSONDocument()
        document.append("_id", .objectId(ObjectId.generate()))
        document.append("collection", .string(collectionName))
        document.append("doc_id", id)
        document.append("tenant_id", .string(tenantId))
        document.append("version", .int64(version))
        document.append("op", .string(op.rawValue))
        document.append("mode", .string(mode.rawValue))
        return document
    }

    /// A version's fields after its content.
    private func tail(now: BSONDate) -> BSONDocument {
        BSONDocument(["updated_by": .string(userId), "updated_at": .date(now)])
    }

    /// The bytes of `head`'s fields, then `document` (a document's BSON bytes) under `key`,
    /// then `tail`'s fields.
    static func embedding(_ document: [UInt8], as key: String, between head: BSONDocument, and tail: BSONDocument)
        -> [UInt8] {
        var out = head.encoded()
        out.removeLast()  // the head's terminating 0
        out.append(0x03)  // embedded document
        out.append(contentsOf: key.utf8)
        out.append(0)
        out.append(contentsOf: document)
        let tailBytes = tail.encoded()
        out.append(contentsOf: tailBytes[4...])  // its fields and terminating 0
        withUnsafeBytes(of: Int32(truncatingIfNeeded: out.count).littleEndian) { out.replaceSubrange(0..<4, with: $0) }
        return out
    }

    /// The highest saved version of each document (0 when none): per document the newest
    /// entry of the `pm_version_number` index (collection, tenant_id, doc_id, version), so
    /// the cost does not grow with the versions a document has kept.
    private func latestVersions(of ids: [BSON], in transaction: StoreConnection) throws -> [DocumentKey: Int64] {
        let scope: KeyValuePairs<String, BSON> = ["collection": .string(collectionName), "tenant_id": .string(tenantId)]
        if ids.count == 1 {
            var filter = BSONDocument(scope)
            filter.append("doc_id", ids[0])
            let newest = try transaction.find(
                in: Self.collection, filter: filter.encoded(), sort: Self.newestFirst.encoded(),
                projection: BSONDocument(["version": .int32(1)]).encoded(), limit: 1)
            return newest.first?["version"]?.int64Value.map { [DocumentKey(ids[0]): $0] } ?? [:]
        }
        var latest: [DocumentKey: Int64] = [:]
        for condition in IdsIn.conditions(ids) {
            var match = BSONDocument(scope)
            match.append("doc_id", condition)
            let pipeline = BSONDocument(["pipeline": .array([
                .document(BSONDocument(["$match": .document(match)])),
                .document(BSONDocument(["$sort": .document(Self.newestFirst)])),
                .document(BSONDocument(["$group": .document(BSONDocument([
                    "_id": .string("$doc_id"), "version": .document(BSONDocument(["$first": .string("$version")])),
                ]))])),
            ])])
            for newest in try transaction.aggregate(in: Self.collection, pipeline: pipeline.encoded()) {
                guard let id = newest["_id"], let number = newest["version"]?.int64Value else { continue }
                latest[DocumentKey(id)] = number
            }
        }
        return latest
    }

    /// The `pm_version_number` index read backwards, each document's newest version first
    /// (with `$group`'s `$first`, MongoDB reads one index entry per document).
    private static let newestFirst = BSONDocument([
        "collection": .int32(-1), "tenant_id": .int32(-1), "doc_id": .int32(-1), "version": .int32(-1),
    ])

    private func prune(_ saved: [(id: BSON, version: Int64)], now: BSONDate, in transaction: StoreConnection) throws {
        if let maxVersions = settings.maxVersions {
            for (id, version) in saved where version > Int64(maxVersions) {
                let filter = BSONDocument([
                    "collection": .string(collectionName), "tenant_id": .string(tenantId), "doc_id": id,
                    "version": .document(BSONDocument(["$lte": .int64(version - Int64(maxVersions))])),
                ]).encoded()
                _ = try transaction.deleteMany(in: Self.collection, filter: filter)
            }
        }
        if let days = settings.retentionDays {
            let cutoff = BSONDate(millisecondsSince1970: now.millisecondsSince1970 - Int64(days) * 86_400_000)
            let filter = BSONDocument([
                "collection": .string(collectionName), "tenant_id": .string(tenantId),
                "updated_at": .document(BSONDocument(["$lt": .date(cutoff)])),
            ]).encoded()
            _ = try transaction.deleteMany(in: Self.collection, filter: filter)
        }
    }
}

/// Why a version was saved.
enum VersionOp: String, Sendable {
    case update
    case delete
    case restore
}
