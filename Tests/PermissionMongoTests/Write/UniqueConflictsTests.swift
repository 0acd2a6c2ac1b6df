import PMBSON
import Testing
@testable import PermissionMongo

/// Which documents of a batch keep a unique value (`UniqueConflicts`), decided as MongoDB
/// decides an unordered insert: one document after the other, a document that fails taking
/// none of its values; a document that already holds a value keeps it.
@Suite("Unique conflicts within a batch")
struct UniqueConflictsTests {
    static func document(_ fields: [String: Int]) -> BSONDocument {
        BSONDocument(elements: fields.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .int32(Int32($0.value))) })
    }

    @Test func aDocumentThatFailsOnOneFieldTakesNoValueOnAnother() {
        let conflicts = UniqueConflicts(
            documents: [(0, Self.document(["u": 1, "w": 1])), (1, Self.document(["u": 1, "w": 2])), (2, Self.document(["w": 2]))],
            fields: ["u", "w"], tenantId: "t")
        #expect(conflicts.withinBatch.keys.sorted() == [1])
        #expect(conflicts.withinBatch[1]?.code == .duplicateKey)
        #expect(conflicts.withinBatch[1]?.message == "u must be unique: 1 already exists")
        // Only what will be written is looked up against stored documents.
        #expect(conflicts.lookups.map(\.field) == ["u", "w"])
        #expect(conflicts.lookups.map { $0.values.map(\.key) } == [[0], [0, 2]])
    }

    @Test func aDocumentHoldingAValueKeepsItWhereverItComes() {
        let conflicts = UniqueConflicts(
            documents: [(0, Self.document(["u": 1])), (1, Self.document(["u": 1]))], fields: ["u"], tenantId: "t",
            before: [0: Self.document(["u": 0]), 1: Self.document(["u": 1])])
        #expect(conflicts.withinBatch.keys.sorted() == [0])
    }

    @Test func aHolderWhoseWriteFailsStillKeepsWhatItHolds() {
        // 1 holds u=1 but fails on w (2 holds w=5); 0 asks for u=1 and fails too.
        let conflicts = UniqueConflicts(
            documents: [(0, Self.document(["u": 1])), (1, Self.document(["u": 1, "w": 5])), (2, Self.document(["w": 5]))],
            fields: ["u", "w"], tenantId: "t",
            before: [0: Self.document(["u": 0]), 1: Self.document(["u": 1, "w": 0]), 2: Self.document(["w": 5])])
        #expect(conflicts.withinBatch.keys.sorted() == [0, 1])
        #expect(conflicts.withinBatch[1]?.message == "w must be unique: 5 already exists")
    }

    /// A document left out (not written: it failed elsewhere) takes no value, and keeps the
    /// one it holds.
    @Test func aDocumentLeftOutTakesNothingAndKeepsWhatItHolds() {
        let created = UniqueConflicts(
            documents: [(0, Self.document(["u": 1])), (1, Self.document(["u": 1]))], fields: ["u"], tenantId: "t",
            leftOut: [0])
        #expect(created.withinBatch.isEmpty)
        #expect(created.lookups.map { $0.values.map(\.key) } == [[1]])

        let changed = UniqueConflicts(
            documents: [(0, Self.document(["u": 1])), (1, Self.document(["u": 1]))], fields: ["u"], tenantId: "t",
            before: [0: Self.document(["u": 1]), 1: Self.document(["u": 2])], leftOut: [0])
        #expect(changed.withinBatch.keys.sorted() == [1])
        #expect(changed.lookups.isEmpty)
    }
}
