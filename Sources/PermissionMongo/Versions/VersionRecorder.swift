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
        guard settings.enabled, !changes.isEmpty else { return }
        let ids: [BSON] = changes.compactMap { $0.before["_id"] }
        let latest = try latestVersions(of: ids, in: transaction)
        var documents: [[UInt8]] = []
        documents.reserveCapacity(changes.count)
        var saved: [(id: BSON, version: Int64)] = []
        for change in changes {
            guard let id = change.before["_id"] else { continue }
            let version = (latest[DocumentKey(id)] ?? 0) + 1
            saved.append((id, version))
            documents.append(versionDocument(change, id: id, version: version, now: now).encoded())
        }
        try transaction.insertAll(documents, into: Self.collection, what: "saving versions failed")
        try prune(saved, now: now, in: transaction)
    }

    private func versionDocument(_ change: Change, id: BSON, version: Int64, now: BSONDate) -> BSONDocument {
        var document = BSONDocument()
        document.append("_id", .objectId(ObjectId.generate()))
        document.append("collection", .string(collectionName))
        document.append("doc_id", id)
        document.append("tenant_id", .string(tenantId))
        document.append("version", .int64(version))
        document.append("op", .string(change.op.rawValue))
        let mode: VersioningSettings.Mode = change.op == .delete ? .full : settings.mode
        document.append("mode", .string(mode.rawValue))
        if mode == .full || change.after == nil {
            document.append("data", .document(change.before))
        } else if let after = change.after {
            document.append("changes", .array(VersionDiff.changes(from: change.before, to: after)))
        }
        document.append("updated_by", .string(userId))
        document.append("updated_at", .date(now))
        return document
    }

    /// The highest saved version of each document (0 when none).
    private func latestVersions(of ids: [BSON], in transaction: StoreConnection) throws -> [DocumentKey: Int64] {
        var latest: [DocumentKey: Int64] = [:]
        let projection = BSONDocument(["doc_id": .int32(1), "version": .int32(1)]).encoded()
        for condition in IdsIn.conditions(ids) {
            let filter = BSONDocument([
                "collection": .string(collectionName), "tenant_id": .string(tenantId), "doc_id": condition,
            ]).encoded()
            for version in try transaction.find(in: Self.collection, filter: filter, projection: projection) {
                guard let id = version["doc_id"], let number = version["version"]?.int64Value else { continue }
                latest[DocumentKey(id), default: 0] = max(latest[DocumentKey(id)] ?? 0, number)
            }
        }
        return latest
    }

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
