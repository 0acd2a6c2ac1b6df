import NIOConcurrencyHelpers
import PMBSON

/// The unique index of `_pm_relationships` (tenant, source, rel_type, target), made once
/// per process before the first link is written. Not at start-up: a gateway whose clients
/// never link has no use for it. Outside any transaction: a batch that links ensures it
/// before its transaction begins.
final class RelationshipIndex: Sendable {
    static let name = "pm_relationship"
    private let ready = NIOLockedValueBox(false)

    func ensure(in store: DocumentStore) async throws {
        if ready.withLockedValue({ $0 }) { return }
        try await store.createIndex(
            on: RelationshipRecord.collection, keys: RelationshipRecord.uniqueKeys, name: Self.name, unique: true)
        ready.withLockedValue { $0 = true }
    }
}
