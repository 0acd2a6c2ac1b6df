import PMBSON
import PMMongo

/// The indexes of a collection as the backend has them, for the declared indexes
/// (`IndexSetup`): listed, created from a whole specification, a TTL changed.
extension DocumentStore {
    /// `listIndexes`; none when the collection does not exist yet.
    func indexes(of collection: String) async throws -> [BSONDocument] {
        let command = BSONDocument(["listIndexes": .string(collection)])
        do {
            guard case .document(let cursor)? = try await self.command(command)["cursor"],
                  case .array(let batch)? = cursor["firstBatch"] else { return [] }
            return batch.compactMap { if case .document(let index) = $0 { index } else { nil } }
        } catch let error as MongoError where error.code == Self.namespaceNotFound {
            return []
        }
    }

    /// `createIndexes` with one entry, as given; whether it was created (`false`: the identical
    /// index was there). Any other index of that name, or of those keys and options, is the
    /// server's error.
    func createIndex(_ specification: BSONDocument, on collection: String) async throws -> Bool {
        let reply = try await command(BSONDocument([
            "createIndexes": .string(collection), "indexes": .array([.document(specification)]),
        ]))
        guard let before = reply["numIndexesBefore"]?.replyNumber, let after = reply["numIndexesAfter"]?.replyNumber else {
            return true
        }
        return after > before
    }

    /// `collMod`: the TTL index `name` expires documents `seconds` after their date.
    func changeExpiry(ofIndex name: String, on collection: String, to seconds: Int) async throws {
        let index = BSONDocument(["name": .string(name), "expireAfterSeconds": .int32(Int32(clamping: seconds))])
        _ = try await command(BSONDocument(["collMod": .string(collection), "index": .document(index)]))
    }

    private func command(_ command: BSONDocument) async throws -> BSONDocument {
        let bytes = command.encoded()
        return try await run { connection in try connection.command(bytes) }
    }

    static let namespaceNotFound = 26
}
