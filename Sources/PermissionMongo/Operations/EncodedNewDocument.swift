import PMBSON
import PMMongo
import PMSchema

/// `NewDocument.make` + `CollectionSchema.validate` + `encode` for a client document that
/// is already BSON bytes: the server-set fields first, then the client's elements checked
/// and normalised by the schema's byte path, then defaults. The server fields other than
/// `_id` are the same for every document of a request, so they are encoded once.
struct EncodedNewDocument {
    private let schema: CollectionSchema
    /// `tenant_id`, `created_by`, `created_at`, `updated_at` as BSON elements.
    private let serverFields: [UInt8]

    init(schema: CollectionSchema, caller: Caller, now: BSONDate) {
        self.schema = schema
        var fields: [UInt8] = []
        Self.appendString("tenant_id", caller.tenantId, into: &fields)
        Self.appendString("created_by", caller.id, into: &fields)
        for name in ["created_at", "updated_at"] {
            fields.append(BSONTypeCode.date)
            fields.append(contentsOf: name.utf8)
            fields.append(0)
            fields.appendLittleEndian(now.millisecondsSince1970)
        }
        serverFields = fields
    }

    /// Writes the stored form of the client document at `offset` in `source`; `false` when
    /// the byte path does not accept it (then the output holds partial bytes).
    func write(clientDocument offset: Int, in source: UnsafeRawBufferPointer, id: ObjectId, into out: inout [UInt8]) -> Bool {
        let start = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        out.append(BSONTypeCode.objectId)
        out.append(contentsOf: [UInt8(ascii: "_"), UInt8(ascii: "i"), UInt8(ascii: "d"), 0])
        out.appendBigEndian(id.high)
        out.appendBigEndian(id.low)
        out.append(contentsOf: serverFields)
        guard schema.writeElements(of: offset, in: source, into: &out) else { return false }
        out.append(0)
        out.storeLittleEndian(Int32(truncatingIfNeeded: out.count - start), at: start)
        return true
    }

    private static func appendString(_ key: String, _ value: String, into out: inout [UInt8]) {
        out.append(BSONTypeCode.string)
        out.append(contentsOf: key.utf8)
        out.append(0)
        out.appendLittleEndian(Int32(truncatingIfNeeded: value.utf8.count + 1))
        out.append(contentsOf: value.utf8)
        out.append(0)
    }
}

/// One client document of an encoded batch through the byte path: stored form, schema,
/// then the create policy on the stored bytes.
struct EncodedCreateStep {
    let newDocument: EncodedNewDocument
    let permission: Permission
    /// The fields the policy reads, decoded: one allocation for the whole batch.
    private var policyFields = BSONDocument()

    init(newDocument: EncodedNewDocument, permission: Permission) {
        self.newDocument = newDocument
        self.permission = permission
    }

    enum Outcome {
        /// Appended to the batch.
        case written
        /// Valid, but no grant's `when` allows it.
        case forbidden
        /// Not accepted by the byte path: the model path decides.
        case deferred
    }

    mutating func run(clientDocument offset: Int, in source: UnsafeRawBufferPointer, id: ObjectId, into batch: inout BSONDocumentBatch) -> Outcome {
        guard let start = batch.append(when: { newDocument.write(clientDocument: offset, in: source, id: id, into: &$0) }) else {
            return .deferred
        }
        let allowed = batch.bytes.withUnsafeBytes { permission.allows(bsonBytes: $0, at: start, scratch: &policyFields) }
        if allowed == true { return .written }
        batch.removeLast(startingAt: start)
        return allowed == false ? .forbidden : .deferred
    }
}
