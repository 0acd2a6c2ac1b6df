import PMBSON

/// The `changes` of a `_pm_versions` entry in mode `diff`.
///
/// One entry per changed field: `{"field": <dotted path>, "op": "set"|"add"|"unset",
/// "from": <old value>, "to": <new value>}` (`add` has no `from`, `unset` no `to`).
/// When a field is a document both before and after, the diff goes inside it and
/// reports dotted paths (`dims.w`); any other change (arrays included) is reported
/// for the whole field. Order: the fields of `after` in its order (recursing in
/// place), then the fields `before` had and `after` lacks, in `before`'s order.
/// Every field counts, the server's too (`updated_at`, `updated_by`). A value is
/// unchanged only if it is the same BSON value of the same type (`5` → `5.0` is a change).
public enum VersionDiff {
    public static func changes(from before: BSONDocument, to after: BSONDocument) -> [BSON] {
        var out: [BSON] = []
        diff(before, after, prefix: "", into: &out)
        return out
    }

    private static func diff(_ before: BSONDocument, _ after: BSONDocument, prefix: String, into out: inout [BSON]) {
        for element in after.elements {
            let path = prefix.isEmpty ? element.key : prefix + "." + element.key
            guard let old = before.value(forKey: element.key) else {
                out.append(entry(path, "add", from: nil, to: element.value))
                continue
            }
            if case .document(let oldDocument) = old, case .document(let newDocument) = element.value {
                diff(oldDocument, newDocument, prefix: path, into: &out)
            } else if !identical(old, element.value) {
                out.append(entry(path, "set", from: old, to: element.value))
            }
        }
        for element in before.elements where !after.contains(key: element.key) {
            let path = prefix.isEmpty ? element.key : prefix + "." + element.key
            out.append(entry(path, "unset", from: element.value, to: nil))
        }
    }

    private static func entry(_ field: String, _ op: String, from: BSON?, to: BSON?) -> BSON {
        var document = BSONDocument(elements: [.init(key: "field", value: .string(field)), .init(key: "op", value: .string(op))])
        if let from { document.append("from", from) }
        if let to { document.append("to", to) }
        return .document(document)
    }

    /// Same type and value; NaN equals NaN; documents compare field by field in order.
    static func identical(_ a: BSON, _ b: BSON) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)):
            return x == y || (x.isNaN && y.isNaN)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case (.document(let x), .document(let y)):
            return x.count == y.count
                && zip(x.elements, y.elements).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && identical($0.value, $1.value) }
        default:
            return a == b
        }
    }
}
