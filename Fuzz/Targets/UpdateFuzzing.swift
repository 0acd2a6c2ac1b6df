import PMBSON
import PermissionMongo

enum UpdateFuzzing {
    private static let stored: BSONDocument = {
        var document = BSONDocument()
        document["_id"] = .string("d1")
        document["name"] = .string("Widget")
        document["price"] = .double(9.5)
        document["tags"] = .array([.string("a"), .int32(2)])
        var dims = BSONDocument()
        dims["w"] = .int32(3)
        document["dims"] = .document(dims)
        return document
    }()

    static func run(_ bytes: [UInt8]) -> String? {
        guard let update = try? JSONReader.parseDocument(bytes),
              let spec = try? UpdateSpec(update, schema: FilterFuzzing.schema)
        else { return nil }
        guard let applied = try? spec.apply(to: stored) else { return nil }
        // Applying is a function of the stored document and the update.
        guard let again = try? spec.apply(to: stored), again == applied else {
            return "applying the same update twice to the same document differs"
        }
        return nil
    }
}
