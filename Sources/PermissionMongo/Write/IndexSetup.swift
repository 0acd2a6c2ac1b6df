import Logging
import PMBSON
import PMMongo

/// Creates, at start-up, the tenant-scoped unique index of every `unique: true` field:
/// `{tenant_id: 1, <field>: 1}`, only over documents that have the field (§2).
struct IndexSetup {
    let collections: [CollectionConfig]
    let pool: MongoClientPool
    let logger: Logger

    func ensure() async throws {
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
