import Logging
import PMBSON
import PMMongo

/// Creates, at start-up, the tenant-scoped unique index of every `unique: true` field:
/// `{tenant_id: 1, <field>: 1}`, only over documents that have the field (§2), and the
/// index that keeps version numbers unique per document.
struct IndexSetup {
    let collections: [CollectionConfig]
    let pool: MongoClientPool
    let logger: Logger

    func ensure() async throws {
        if collections.contains(where: { $0.versioning.enabled }) {
            let keys = BSONDocument([
                "collection": .int32(1), "tenant_id": .int32(1), "doc_id": .int32(1), "version": .int32(1),
            ]).encoded()
            try await pool.withConnection { connection in
                try connection.createIndex(
                    collection: VersionRecorder.collection, keys: keys, name: "pm_version_number", unique: true)
            }
        }
        for collection in collections {
            for field in collection.schema.uniqueFields {
                let keys = BSONDocument(["tenant_id": .int32(1), field: .int32(1)]).encoded()
                let partial = BSONDocument([field: .document(BSONDocument(["$exists": .bool(true)]))]).encoded()
                let name = Self.indexName(field)
                let collectionName = collection.name
                try await pool.withConnection { connection in
                    try connection.createIndex(
                        collection: collectionName, keys: keys, name: name, unique: true, partialFilter: partial)
                }
                logger.debug("unique index ready", metadata: ["collection": "\(collection.name)", "field": "\(field)"])
            }
        }
    }

    static func indexName(_ field: String) -> String { "pm_unique_tenant_" + field }
}
