import PMBSON

/// The query string of `GET /{collection}`: `filter=<json>&limit=&skip=&sort=field,-other`.
struct ListQuery {
    var filter = BSONDocument()
    var sort: BSONDocument?
    var skip = 0
    /// 50, or `maxLimit` when that is smaller.
    var limit: Int

    init(parameters: [String: String], maxLimit: Int) throws {
        limit = min(50, maxLimit)
        if let text = parameters["filter"], !text.isEmpty {
            do {
                filter = try JSONReader.parseDocument(Array(text.utf8))
            } catch {
                throw DomainError.invalidRequest("filter is not a JSON object: \(error.message)")
            }
        }
        if let text = parameters["limit"] {
            guard let value = Int(text), value >= 1, value <= maxLimit else {
                throw DomainError.invalidRequest("limit must be an integer from 1 to \(maxLimit)")
            }
            limit = value
        }
        if let text = parameters["skip"] {
            guard let value = Int(text), value >= 0 else {
                throw DomainError.invalidRequest("skip must be a non-negative integer")
            }
            skip = value
        }
        if let text = parameters["sort"], !text.isEmpty {
            sort = try SortOrder.parse(text)
        }
    }
}
