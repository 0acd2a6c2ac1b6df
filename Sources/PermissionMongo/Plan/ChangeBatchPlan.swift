import PMBSON

/// The body of `PUT /{collection}/batch` (`ids`|`filter` + `update`) or
/// `DELETE /{collection}/batch` (`ids`|`filter`), checked for shape and size.
struct ChangeBatchPlan {
    var target: DocumentTarget
    var update: BSONDocument?

    init(body: BSONDocument, collection: CollectionConfig, maxBatchSize: Int, needsUpdate: Bool) throws {
        try BodyShape.allowOnly(needsUpdate ? ["ids", "filter", "update"] : ["ids", "filter"], in: body)
        target = try DocumentTarget(body: body, maxBatchSize: maxBatchSize).checked(against: collection.schema)
        guard needsUpdate else { return }
        guard let value = body["update"] else { throw DomainError.invalidRequest("\"update\" is required") }
        guard case .document(let update) = value else {
            throw DomainError.invalidRequest("\"update\" must be an object")
        }
        self.update = update
    }
}
