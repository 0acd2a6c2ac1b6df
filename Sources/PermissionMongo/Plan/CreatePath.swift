import Logging
import PMSchema

/// Which way the documents of a `POST /{collection}/batch` go, decided once per request,
/// before the body is parsed, so that it is parsed once either way (docs/ARCHITECTURE.md,
/// "The path of a create").
enum CreatePath: Sendable, Equatable {
    /// The body is transcoded to BSON bytes and each document checked and stored from them
    /// (`EncodedCreateBatch`, `CollectionSchema.writeElements`, `Permission.allows(bsonBytes:)`).
    /// The byte path only accepts: a document it cannot decide on bytes still takes the value
    /// path, with the same result.
    case bytes
    /// Every document is decoded to values and checked as such, for this reason.
    case values(reason: String)

    static func choose(
        for collection: CollectionConfig, hooks: GatewayHooks, atomic: Bool, idempotent: Bool = false
    ) -> CreatePath {
        if case .unavailable(let reason) = collection.schema.bytePath {
            return .values(reason: "the schema: \(reason)")
        }
        if !hooks.endpoints(.preCreate, of: collection.name).isEmpty {
            return .values(reason: "pre_create hook payloads carry the documents as values")
        }
        if !hooks.endpoints(.postCreate, of: collection.name).isEmpty {
            return .values(reason: "post_create deliveries are recorded with the documents")
        }
        if atomic && !collection.schema.uniqueFields.isEmpty {
            return .values(reason: "an atomic batch checks its unique fields on values first")
        }
        if idempotent && !collection.schema.uniqueFields.isEmpty {
            return .values(reason: "a batch with an Idempotency-Key checks its unique fields on values first")
        }
        return .bytes
    }

    /// Logs the choice at debug level: `bytes`, or `values` and why.
    func log(collection: String, requestId: String, to logger: Logger) {
        var metadata: Logger.Metadata = ["collection": "\(collection)", "request_id": "\(requestId)"]
        switch self {
        case .bytes:
            metadata["path"] = "bytes"
        case .values(let reason):
            metadata["path"] = "values"
            metadata["reason"] = "\(reason)"
        }
        logger.debug("create path", metadata: metadata)
    }
}
