import PMBSON
import Testing
@testable import PMSchema
@testable import PermissionMongo

/// Helpers for the update-language suites (names prefixed to stay out of other suites' way).
enum UpdateTestSupport {
    /// `update` applied to `document`.
    static func apply(_ update: BSONDocument, to document: BSONDocument, schema: CollectionSchema? = nil) throws -> BSONDocument {
        try UpdateSpec(update, schema: schema).apply(to: document)
    }

    /// The error `UpdateSpec.init` throws for `update`, or `nil` when it parses.
    static func rejection(_ update: BSONDocument, schema: CollectionSchema? = nil) -> UpdateError? {
        do {
            _ = try UpdateSpec(update, schema: schema)
            return nil
        } catch let error as UpdateError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// The error `apply(to:)` throws, or `nil` when it succeeds.
    static func applyFailure(_ update: BSONDocument, to document: BSONDocument) -> UpdateError? {
        let spec: UpdateSpec
        do {
            spec = try UpdateSpec(update)
        } catch {
            Issue.record("update did not parse: \(error)")
            return nil
        }
        do {
            _ = try spec.apply(to: document)
            return nil
        } catch let error as UpdateError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// A document with duplicate keys (the literal syntax would not show them).
    static func duplicated(_ pairs: [(String, BSON)]) -> BSONDocument {
        BSONDocument(elements: pairs.map { BSONDocument.Element(key: $0.0, value: $0.1) })
    }

    static func date(_ ms: Int64) -> BSON { .date(BSONDate(millisecondsSince1970: ms)) }

    static let hex = "64b7f0c2a1b2c3d4e5f60718"
    static var oid: BSON { .objectId(ObjectId(hex: hex)!) }

    /// released: date, owner: objectid, dims: {made: date, w: number},
    /// history: [date], lines: [{at: date, ref: objectid, qty: integer}].
    static let schema: CollectionSchema = {
        let dims = ObjectSchema(
            fields: [FieldSchema(name: "made", type: .date), FieldSchema(name: "w", type: .number)],
            additionalFields: .allow, isTopLevel: false)
        let line = ObjectSchema(
            fields: [
                FieldSchema(name: "at", type: .date), FieldSchema(name: "ref", type: .objectid),
                FieldSchema(name: "qty", type: .integer),
            ],
            additionalFields: .allow, isTopLevel: false)
        return CollectionSchema(root: ObjectSchema(
            fields: [
                FieldSchema(name: "name", type: .string),
                FieldSchema(name: "released", type: .date),
                FieldSchema(name: "owner", type: .objectid),
                FieldSchema(name: "dims", type: .object, nested: dims),
                FieldSchema(name: "history", type: .array, items: FieldSchema(name: "history", type: .date)),
                FieldSchema(name: "lines", type: .array, items: FieldSchema(name: "lines", type: .object, nested: line)),
            ],
            additionalFields: .allow, isTopLevel: true))
    }()
}
