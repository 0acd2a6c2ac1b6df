import HTTPTypes
import PMBSON

/// The outcome of a batch update or delete.
struct ChangeBatchResult: Sendable {
    enum Kind: Sendable {
        case update
        case delete

        var countKey: String { self == .update ? "modified" : "deleted" }
    }

    var kind: Kind
    var atomic: Bool
    /// Documents the caller may change, including those that then failed.
    var matched = 0
    /// The stored documents after the change (for deletes: before it), in write order; of
    /// a change by filter written in chunks, those of the last chunk only.
    var written: [BSONDocument] = []
    /// Documents written and only counted: by the earlier chunks of a change by filter, or
    /// by MongoDB alone (`pushedDown`).
    var writtenNotKept = 0
    /// MongoDB applied the change without the gateway reading the documents.
    var pushedDown = false
    var failed: [(id: BSON, failure: DocumentFailure)] = []
    /// With `?report_denied=true`: the requested ids skipped by policy, and those not found.
    var deniedIds: DeniedIds? = nil

    var rolledBack: Bool { atomic && !failed.isEmpty }

    /// Documents changed (for deletes: deleted) in all.
    var writtenCount: Int { writtenNotKept + written.count }

    /// Adds the result of the next chunk of a change by filter.
    mutating func append(chunk: ChangeBatchResult) {
        matched += chunk.matched
        pushedDown = pushedDown || chunk.pushedDown
        writtenNotKept += written.count + chunk.writtenNotKept
        written = chunk.written
        failed += chunk.failed
    }

    /// 200, or 422 when an atomic batch changed nothing because something failed.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .ok }

    var json: BSONDocument {
        let failures: [BSON] = failed.map { entry in
            .document(BSONDocument(["id": entry.id.hexIfObjectId, "error": .document(entry.failure.json)]))
        }
        var body = BSONDocument()
        body.append("matched", .int64(rolledBack ? 0 : Int64(matched)))
        body.append(kind.countKey, .int64(rolledBack ? 0 : Int64(writtenCount)))
        body.append("failed", .array(failures))
        if let deniedIds {
            body.append("denied", .array(deniedIds.denied.map { .string($0.hex) }))
            body.append("missing", .array(deniedIds.missing.map { .string($0.hex) }))
        }
        return body
    }
}
