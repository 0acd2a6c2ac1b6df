import PMBSON

/// The results of a mixed batch as a table for people, with a summary line.
public enum ResultTable {
    /// Longest detail shown in the table; `--json` shows everything.
    static let maxDetailCharacters = 80

    public static func render(_ response: BatchResponse, for request: BatchRequest) -> String {
        var table = TextTable(headers: ["#", "OP", "COLLECTION", "STATUS", "ID", "DETAIL"], rightAligned: [0, 3])
        for result in response.results {
            table.add([
                String(result.index), request.op(at: result.index), request.collection(at: result.index),
                String(result.status), result.id ?? "", detail(of: result),
            ])
        }
        return table.render() + summary(of: response, request: request) + "\n"
    }

    static func detail(of result: BatchResponse.Result) -> String {
        if result.failed {
            let code = result.errorCode ?? "error"
            return clipped(result.errorMessage.map { "\(code): \($0)" } ?? code)
        }
        switch result.data {
        case .array(let items)?:
            let count = result.count.map { " of \($0)" } ?? ""
            return "\(items.count)\(count) document(s)"
        case .document(let document)?:
            return clipped(BSON.document(withoutServerFields(document)).jsonString)
        case let data?:
            return clipped(data.jsonString)
        case nil:
            return result.count.map { "count \($0)" } ?? ""
        }
    }

    static func summary(of response: BatchResponse, request: BatchRequest) -> String {
        var line = "\(response.succeeded) of \(response.total) operation(s) succeeded, \(response.failed) failed"
        if request.options.bool("validate_only") == true { line += " (validate only: nothing written)" }
        if !response.success, request.options.bool("atomic") != false, response.results.contains(where: { $0.errorCode == "rolled_back" || $0.errorCode == "not_attempted" }) {
            line += " (atomic: nothing was written)"
        }
        return line
    }

    /// Fields the gateway sets: the ID column already shows the id, the rest is noise here.
    static let serverFields: Set<String> = ["_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by"]

    static func withoutServerFields(_ document: BSONDocument) -> BSONDocument {
        BSONDocument(elements: document.elements.filter { !serverFields.contains($0.key) })
    }

    private static func clipped(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > maxDetailCharacters ? String(flat.prefix(maxDetailCharacters - 1)) + "…" : flat
    }
}
