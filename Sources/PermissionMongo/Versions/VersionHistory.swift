import PMBSON

/// Reading `_pm_versions` for one document, and rebuilding a saved state from it.
struct VersionHistory: Sendable {
    let store: DocumentStore
    let collection: String
    let tenantId: String

    /// Every saved version of the document, newest first.
    func versions(of id: ObjectId) async throws -> [BSONDocument] {
        let filter = BSONDocument([
            "collection": .string(collection), "tenant_id": .string(tenantId), "doc_id": .objectId(id),
        ])
        return try await store.find(
            in: VersionRecorder.collection, filter: filter,
            sort: BSONDocument(["version": .int32(-1)]), skip: 0, limit: 0)
    }

    /// The state saved as version `number`, given the versions newest first and the
    /// current document (nil when it was removed): full versions carry it, diff versions
    /// are undone one by one from the current state down to `number`.
    static func state(
        atVersion number: Int64, versions: [BSONDocument], current: BSONDocument?
    ) -> BSONDocument? {
        var state = current
        for version in versions {
            guard let v = version["version"]?.int64Value, v >= number else { break }
            if case .document(let data)? = version["data"] {
                state = data
            } else if case .array(let changes)? = version["changes"], let after = state {
                state = VersionDiff.revert(after, changes: changes)
            } else {
                return nil
            }
        }
        return state
    }
}
