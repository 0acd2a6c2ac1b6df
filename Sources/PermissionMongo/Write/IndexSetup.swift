import Logging
import PMBSON
import PMConfigFiles

/// Creates the indexes the configuration asks for (docs/API.md, "Indexes"): the index that
/// keeps version numbers unique per document, the tenant-scoped unique index of every
/// `unique: true` field (`{tenant_id: 1, <field>: 1}`, only over documents that have the
/// field), and each collection's declared `indexes` (`IndexSetup+Declared.swift`). Run at
/// start-up, and again for a new configuration: what exists already is left as it is.
struct IndexSetup {
    let collections: [CollectionConfig]
    let store: DocumentStore
    let logger: Logger

    /// Throws `IndexSetupError`, every declared index the backend cannot have as configured
    /// at its place in the configuration, after trying them all.
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
        var problems: [ConfigProblem] = []
        for collection in collections.sorted(by: { $0.name < $1.name }) {
            problems += try await ensureDeclared(of: collection)
        }
        if !problems.isEmpty { throw IndexSetupError(problems: problems) }
    }

    static func indexName(_ field: String) -> String { "pm_unique_tenant_" + field }
}
