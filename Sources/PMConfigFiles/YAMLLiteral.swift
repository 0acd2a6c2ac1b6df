import PMBSON
import Yams

/// A YAML value (`default:`, `enum:` items) as the BSON a JSON client would send for it;
/// the field's own check then types and normalises it.
package enum YAMLLiteral {
    package static func value(of node: ConfigNode) -> BSON? {
        switch node.node {
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return .null
            case .bool: return node.node.bool.map(BSON.bool) ?? .string(scalar.string)
            case .int:
                guard let int = node.node.int else {
                    node.report("number out of range")
                    return nil
                }
                if let small = Int32(exactly: int) { return .int32(small) }
                return .int64(Int64(int))
            case .float:
                guard let double = node.node.float, double.isFinite else {
                    node.report("must be a finite number")
                    return nil
                }
                return .double(double)
            default:
                return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [BSON] = []
            for (index, element) in sequence.enumerated() {
                guard let item = value(of: node.item(index, element)) else { return nil }
                items.append(item)
            }
            return .array(items)
        case .mapping:
            var document = BSONDocument()
            for entry in node.entries() ?? [] {
                guard let item = value(of: entry.value) else { return nil }
                document.append(entry.name, item)
            }
            return .document(document)
        case .alias:
            node.report("aliases are not supported here")
            return nil
        }
    }
}
