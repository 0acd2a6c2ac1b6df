import PMConfigFiles
import PMSchema
import Yams

/// `deny_read:` of a role — field paths hidden from what the role lets the caller read
/// (docs/API.md, "Field-level read rules"). Each path must name a field the collection
/// can hold (`CollectionFieldPath`), a server field other than `_id` and `tenant_id`
/// included. A typo would otherwise show what it was meant to hide.
enum DenyReadReader {
    static func read(_ node: ConfigNode, schema: CollectionSchema) -> [String] {
        guard case .sequence(let sequence) = node.node else {
            node.report("must be a list of field paths")
            return []
        }
        var paths: [String] = []
        for (index, element) in sequence.enumerated() {
            let item = node.item(index, element)
            guard let path = item.nonEmptyString() else { continue }
            if let problem = problem(with: path, in: schema) {
                item.report(problem)
            } else if !paths.contains(path) {
                paths.append(path)
            }
        }
        return paths
    }

    /// Why `path` cannot be hidden, or `nil` when it can.
    static func problem(with path: String, in schema: CollectionSchema) -> String? {
        let reason = "cannot be hidden: every response names the document and its tenant by it"
        return CollectionFieldPath.problem(
            with: path, in: schema, refused: ["_id": "_id " + reason, "tenant_id": "tenant_id " + reason],
            arrayIndexAdvice: "name the field, it is hidden in every item")
    }
}
