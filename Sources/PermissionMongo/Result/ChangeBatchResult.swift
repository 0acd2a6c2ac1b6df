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
    /// The stored documents after the change (for deletes: before it), in write order.
    var written: [BSONDocument] = []
    var failed: [(id: BSON, failure: DocumentFailure)] = []
    /// With `?report_denied=true`: the requested ids skipped by policy, and those not found.
    var deniedIds: DeniedIds? = nil

    var rolledBack: Bool { atomic && !failed.isEmpty }

    /// 200, or 422 when an atomic batch changed nothing because something failed.
    var status: HTTPResponse.Status { rolledBack ? .unprocessableContent : .ok }

    var json: BSONDocument {
        let failures: [BSON] = failed.map { entry in
            .document(BSONDocument(["id": entry.id.hexIfObjectId, "error": .document(entry.failure.json)]))
        }
        var body = BSONDocument()
        body.append("matched", .int64(rolledBack ? 0 : Int64(matched)))
        body.append(kind.countKey, .int64(rolledBack ? 0 : Int64(written.count)))
        body.append("failed", .array(failures))
        if let deniedIds {
            body.append("denied", .array(deniedIds.denied.map { .string($0.hex) }))
            body.append("missing", .array(deniedIds.missing.map { .string($0.hex) }))
        }
        return body
    }
}
