import PMBSON

/// The documents of a `POST /{collection}/batch` body, checked for shape and size.
struct CreateBatchPlan {
    var documents: [BSONDocument]

    init(body: BSONDocument, maxBatchSize: Int) throws {
        try BodyShape.allowOnly(["documents"], in: body)
        let items = try BodyShape.nonEmptyArray("documents", in: body)
        guard items.count <= maxBatchSize else {
            throw DomainError.batchTooLarge(limit: maxBatchSize, requested: items.count)
        }
        documents = try items.enumerated().map { index, item in
            guard case .document(let document) = item else {
                throw DomainError.invalidRequest("documents[\(index)] must be a JSON object")
            }
            return document
        }
    }
}
