import MCP
import PMBSON

/// MCP tool arguments (`Value`) as JSON for the gateway. Object keys come sorted: `Value`
/// keeps objects in dictionaries, so their original order is already gone.
enum ValueConversion {
    static func bson(_ value: Value) -> BSON {
        switch value {
        case .null: .null
        case .bool(let bool): .bool(bool)
        case .int(let int): .integer(int)
        case .double(let double): .double(double)
        case .string(let string): .string(string)
        case .data(let mimeType, let data): .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let items): .array(items.map(bson))
        case .object(let object): .document(document(object))
        }
    }

    static func document(_ object: [String: Value]) -> BSONDocument {
        BSONDocument(elements: object.keys.sorted().map { BSONDocument.Element(key: $0, value: bson(object[$0] ?? .null)) })
    }
}
