import PMBSON

/// The body of `POST /batch`: `{"operations":[...],"options":{...}}`.
public struct BatchRequest: Sendable, Equatable {
    public var operations: [BSON]
    public var options: BSONDocument

    public init(operations: [BSON], options: BSONDocument = BSONDocument()) {
        self.operations = operations
        self.options = options
    }

    public var body: BSONDocument {
        var body = BSONDocument()
        body.append("operations", .array(operations))
        if !options.isEmpty { body.append("options", .document(options)) }
        return body
    }

    /// The `op` of operation `index`, for tables ("?" when absent).
    public func op(at index: Int) -> String {
        operation(at: index)?.string("op") ?? "?"
    }

    /// The collection operation `index` works on; for links `source → target`.
    public func collection(at index: Int) -> String {
        guard let operation = operation(at: index) else { return "" }
        if let collection = operation.string("collection") { return collection }
        let source = operation.document("source")?.string("collection")
        let target = operation.document("target")?.string("collection")
        if source != nil || target != nil { return "\(source ?? "?") → \(target ?? "?")" }
        return ""
    }

    private func operation(at index: Int) -> BSONDocument? {
        operations.indices.contains(index) ? operations[index].documentValue : nil
    }
}
