import PMBSON
import PMSchema
import PMTestKit
import PermissionMongo

enum FilterFuzzing {
    static let schema: CollectionSchema = try! compileTestSchema("""
        name:     { type: string }
        price:    { type: number }
        tags:     { type: array, items: { type: string } }
        released: { type: date }
        owner:    { type: objectid }
        dims:     { type: object, fields: { w: { type: number }, made: { type: date } } }
        """)

    static func run(_ bytes: [UInt8]) -> String? {
        guard let document = try? JSONReader.parseDocument(bytes) else { return nil }
        let filter = ClientFilter(schema: schema)
        guard let checked = try? filter.read(document, allowEmpty: true) else { return nil }
        // A checked filter is checked already: reading it again changes nothing.
        guard let again = try? filter.read(checked, allowEmpty: true) else {
            return "a checked filter is refused when read again: \(checked)"
        }
        return again == checked ? nil : "reading a checked filter again changes it: \(checked) → \(again)"
    }
}
