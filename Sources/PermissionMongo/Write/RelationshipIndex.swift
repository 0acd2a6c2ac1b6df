import NIOConcurrencyHelpers
import PMBSON
import PMMongo

/// The unique index of `_pm_relationships` (tenant, source, rel_type, target), made once
/// per process before the first link is written. Not at start-up: a gateway whose clients
/// never link has no use for it. On its own connection, never inside a batch's transaction.
final class RelationshipIndex: Sendable {
    static let name = "pm_relationship"
    private let ready = NIOLockedValueBox(false)

    func ensure(pool: MongoClientPool) async throws {
        if ready.withLockedValue({ $0 }) { return }
        let keys = RelationshipRecord.uniqueKeys.encoded()
        try await pool.withConnection { connection in
            try connection.createIndex(
                collection: RelationshipRecord.collection, keys: keys, name: Self.name, unique: true)
        }
        ready.withLockedValue { $0 = true }
    }
}
