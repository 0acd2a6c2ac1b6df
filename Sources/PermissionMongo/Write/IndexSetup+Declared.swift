import Logging
import PMBSON
import PMConfigFiles
import PMMongo

extension IndexSetup {
    /// Creates the declared indexes of `collection` the backend does not have yet; a TTL
    /// index whose `expire_after_seconds` changed gets the new expiry. Every index is tried:
    /// one the backend cannot have as declared is a problem at its declaration.
    func ensureDeclared(of collection: CollectionConfig) async throws -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for index in collection.indexes {
            let metadata: Logger.Metadata = ["collection": "\(collection.name)", "index": "\(index.name)"]
            do {
                if try await store.createIndex(index.specification, on: collection.name) {
                    logger.info("index created", metadata: metadata)
                }
            } catch let error as MongoError where error.kind == .server {
                guard let reason = try await refusal(of: index, on: collection.name, error) else { continue }
                problems.append(ConfigProblem(
                    file: index.file, line: index.line, key: index.key,
                    message: "index \(index.name) on collection \(collection.name): \(reason)"))
            }
        }
        return problems
    }

    /// Why the backend refused `index`, or `nil` when the refusal is resolved: a TTL index of
    /// that name on the same field with another expiry is changed to the declared one.
    private func refusal(of index: DeclaredIndex, on collection: String, _ error: MongoError) async throws -> String? {
        if error.isDuplicateKey {
            let values = error.reply.flatMap { try? BSONDocument(bsonBytes: $0)["keyValue"] }
            return "documents of one tenant already share the values \(values?.jsonString ?? "of its fields"), "
                + "so it cannot be unique; change them or drop unique"
        }
        guard error.isIndexSpecConflict else {
            return "the database refused it (code \(error.code)): \(error.message)"
        }
        let present = try await store.indexes(of: collection).first { $0["name"] == .string(index.name) }
        guard let present else {
            return "the database has these keys and options indexed under another name (\(error.message)); "
                + "drop that index or declare this one with its name"
        }
        if let seconds = index.expireAfterSeconds, Self.isTTL(present, on: index.keyPattern) {
            try await store.changeExpiry(ofIndex: index.name, on: collection, to: seconds)
            logger.info("index expiry changed", metadata: [
                "collection": "\(collection)", "index": "\(index.name)", "expire_after_seconds": "\(seconds)",
            ])
            return nil
        }
        var existing = present
        existing.elements.removeAll { $0.key == "v" || $0.key == "ns" }
        return "the database has an index of that name with other keys or options (\(existing.jsonString)); "
            + "drop it or give this one another name"
    }

    /// Whether `index` (as `listIndexes` gives it) is a TTL index on `keys` and nothing else.
    private static func isTTL(_ index: BSONDocument, on keys: BSONDocument) -> Bool {
        guard index["expireAfterSeconds"] != nil, index["unique"] != .bool(true), index["partialFilterExpression"] == nil,
              case .document(let present)? = index["key"] else { return false }
        return present.keys == keys.keys
            && zip(present.elements, keys.elements).allSatisfy { $0.value.replyNumber == $1.value.replyNumber }
    }
}
