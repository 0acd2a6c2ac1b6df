import PMBSON

extension BatchOperation {
    /// Reads operation `index` of a mixed batch; a malformed one is a 400 for the whole
    /// request naming it (`details.index`). References must point at earlier operations.
    init(_ value: BSON, index: Int, maxListLimit: Int) throws {
        let reader = OperationReader(index: index)
        guard case .document(let body) = value else { throw reader.problem("must be a JSON object") }
        guard case .string(let op)? = body["op"] else {
            throw reader.problem("needs \"op\", one of \(Self.names.joined(separator: ", "))")
        }
        switch op {
        case "create":
            try reader.allowOnly(["op", "collection", "data"], in: body)
            self = .create(collection: try reader.collection(body), data: try reader.document("data", in: body))
        case "update":
            try reader.allowOnly(["op", "collection", "id", "data"], in: body)
            self = .update(
                collection: try reader.collection(body), id: try reader.id(body["id"], "id"),
                data: try reader.document("data", in: body))
        case "upsert":
            try reader.allowOnly(["op", "collection", "match", "data"], in: body)
            self = .upsert(
                collection: try reader.collection(body), match: try reader.document("match", in: body),
                data: try reader.document("data", in: body))
        case "delete":
            try reader.allowOnly(["op", "collection", "id"], in: body)
            self = .delete(collection: try reader.collection(body), id: try reader.id(body["id"], "id"))
        case "get":
            try reader.allowOnly(["op", "collection", "id"], in: body)
            self = .get(collection: try reader.collection(body), id: try reader.id(body["id"], "id"))
        case "list":
            try reader.allowOnly(["op", "collection", "filter", "sort", "skip", "limit"], in: body)
            self = .list(collection: try reader.collection(body), query: try reader.listQuery(body, maxLimit: maxListLimit))
        case "link", "unlink":
            try reader.allowOnly(["op", "rel_type", "source", "target"], in: body)
            let spec = RelationshipSpec(
                relType: try reader.relType(body), source: try reader.end("source", in: body),
                target: try reader.end("target", in: body))
            self = op == "link" ? .link(spec) : .unlink(spec)
        default:
            throw reader.problem("has unknown op \"\(op)\" (allowed: \(Self.names.joined(separator: ", ")))")
        }
        for referenced in BatchReferences.indexes(in: value) where referenced >= index {
            throw reader.problem("refers to operation \(referenced); {\"$ref\": n} must name an earlier operation")
        }
    }
}

/// Field readers for one operation, with errors that say which operation is wrong.
private struct OperationReader {
    let index: Int

    func problem(_ text: String) -> DomainError {
        .invalidRequest("operations[\(index)] \(text)", details: BSONDocument(["index": .int64(Int64(index))]))
    }

    func allowOnly(_ keys: Set<String>, in body: BSONDocument) throws {
        for element in body.elements where !keys.contains(element.key) {
            throw problem("has unknown key \"\(element.key)\" (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func collection(_ body: BSONDocument) throws -> String {
        guard case .string(let name)? = body["collection"], !name.isEmpty else {
            throw problem("needs \"collection\", a collection name")
        }
        return name
    }

    func document(_ key: String, in body: BSONDocument) throws -> BSONDocument {
        guard case .document(let document)? = body[key] else { throw problem("needs \"\(key)\", a JSON object") }
        return document
    }

    func id(_ value: BSON?, _ name: String) throws -> IdReference {
        switch value {
        case .string(let text)?: return .literal(text)
        case .document(let document)?:
            if let index = BatchReferences.index(of: document) { return .ref(index) }
        default: break
        }
        throw problem("needs \"\(name)\", a document id or {\"$ref\": n}")
    }

    func end(_ key: String, in body: BSONDocument) throws -> DocumentReference {
        let end = try document(key, in: body)
        try allowOnly(["collection", "id"], in: end)
        return DocumentReference(collection: try collection(end), id: try id(end["id"], key + ".id"))
    }

    func relType(_ body: BSONDocument) throws -> String {
        guard case .string(let name)? = body["rel_type"], RelationshipType.isValid(name) else {
            throw problem("needs \"rel_type\": 1 to 100 letters, digits, '_', '-' or '.'")
        }
        return name
    }

    func listQuery(_ body: BSONDocument, maxLimit: Int) throws -> ListQuery {
        var parameters: [String: String] = [:]
        for key in ["skip", "limit"] {
            switch body[key] {
            case nil: continue
            case .int32(let n)?: parameters[key] = String(n)
            case .int64(let n)?: parameters[key] = String(n)
            default: throw problem("\(key) must be an integer")
            }
        }
        switch body["sort"] {
        case nil: break
        case .string(let text)?: parameters["sort"] = text
        default: throw problem("sort must be a string like \"field,-other\"")
        }
        var filter = BSONDocument()
        switch body["filter"] {
        case nil: break
        case .document(let document)?: filter = document
        default: throw problem("filter must be a JSON object")
        }
        do {
            var query = try ListQuery(parameters: parameters, maxLimit: maxLimit)
            query.filter = filter
            return query
        } catch let error as DomainError {
            throw problem(error.message)
        }
    }
}
