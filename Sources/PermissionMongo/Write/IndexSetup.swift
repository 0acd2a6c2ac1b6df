import Logging
import PMBSON

/// Creates, at start-up, the tenant-scoped unique index of every `unique: true` field:
/// `{tenant_id: 1, <field>: 1}`, only over documents that have the field, and the
/// index that keeps version numbers unique per document.
struct IndexSetup {
    let collections: [CollectionConfig]
    let store: DocumentStore
    let logger: Logger

    func ensure() async throws {
        if collections.contains(where: { $0.versioning.enabled }) {
            let keys = BSONDocument([
                "collection": .int32(1), "tenant_id": .int32(1), "doc_id": .int32(1), "version": .int32(1),
            ])
            try await store.createIndex(on: VersionRecorder.collection, keys: keys, name: "pm_version_number", unique: true)
        }
        for collection in collections {
            for field in collection.schema.uniqueFields {
                try await store.createIndex(
                    on: collection.name, keys: BSONDocument(["tenant_id": .int32(1), field: .int32(1)]),
                    name: Self.indexName(field), unique: true,
                    partialFilter: BSONDocument([field: .document(BSONDocument(["$exists": .bool(true)]))]))
                logger.debug("unique index ready", metadata: ["collection": "\(collection.name)", "field": "\(field)"])
            }
        }
    }

    static func indexName(_ field: String) -> String { "pm_unique_tenant_" + field }
}
