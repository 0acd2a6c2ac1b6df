import PMBSON
import PMTestKit
@testable import PMSchema

/// Both paths of one schema on one JSON document, without the server's fields.
struct BothPaths {
    let schema: CollectionSchema

    init(_ fields: String, additionalFields: String = "allow") throws {
        schema = try compileTestSchema(fields, additionalFields: additionalFields)
    }

    /// The model path's stored bytes, or its violation message.
    func model(_ json: String) throws -> Result<[UInt8], SchemaViolation> {
        var document = try JSONReader.parseDocument(json)
        if let violation = schema.validate(&document) { return .failure(violation) }
        return .success(document.encoded())
    }

    /// The byte path's stored bytes, or `nil` when it leaves the document to the model path.
    func bytes(_ json: String) throws -> [UInt8]? {
        precondition(schema.bytePath == .available)
        let client = try JSONReader.parseDocument(json).encoded()
        var out: [UInt8] = [0, 0, 0, 0]
        let accepted = client.withUnsafeBytes { schema.writeElements(of: 0, in: $0, into: &out) }
        guard accepted else { return nil }
        out.append(0)
        out.storeLittleEndian(Int32(out.count), at: 0)
        return out
    }

    /// The violation message of the model path (`nil`: valid).
    func message(_ json: String) throws -> String? {
        if case .failure(let violation) = try model(json) { return violation.message }
        return nil
    }
}
