import PMBSON
import PMTestKit
import Testing
@testable import PMSchema
@testable import PermissionMongo

/// The byte path (`EncodedNewDocument` + `CollectionSchema.writeElements`) against the model path
/// (`NewDocument` + `CollectionSchema.validate` + `encode`): whenever the byte path accepts
/// a document, the model path accepts it too and stores exactly the same bytes; and it does
/// accept the ordinary documents it exists for.
@Suite struct EncodedSchemaTests {
    static let fields = """
        name:     { type: string, required: true, min_length: 3, max_length: 20 }
        sku:      { type: string, pattern: "^[A-Z]{3}-[0-9]+$" }
        price:    { type: number, required: true, min: 0 }
        qty:      { type: integer, min: 0, max: 100000 }
        category: { type: string, enum: [widgets, gadgets, "gïzmos"] }
        tags:     { type: array, max_length: 4, items: { type: string, max_length: 8 } }
        dims:     { type: object, fields: { w: { type: number, min: 0 }, unit: { type: string, default: cm } } }
        supplier: { type: object, fields: { name: { type: string, required: true } } }
        released: { type: date }
        owner:    { type: objectid }
        rating:   { type: number, min: 0, max: 5 }
        active:   { type: boolean, default: true }
        lines:    { type: array, items: { type: object, fields: { n: { type: integer }, note: { type: string } } } }
        extra:    { type: object }
        anything: { type: array }
        """

    let caller = Caller(id: "user-1", tenantId: "tenant-é", roles: ["r"])
    let now = BSONDate(millisecondsSince1970: 1_700_000_000_123)
    let id = ObjectId(hex: "65a1b2c3d4e5f60718293a4b")!

    /// The stored bytes by the model path, or `nil` when it finds a violation.
    func modelBytes(_ json: String, _ schema: CollectionSchema) throws -> [UInt8]? {
        var document = NewDocument.make(from: try JSONReader.parseDocument(json), id: id, caller: caller, now: now)
        guard schema.validate(&document) == nil else { return nil }
        return document.encoded()
    }

    /// The stored bytes by the byte path, or `nil` when it does not accept the document.
    func encodedBytes(_ json: String, _ schema: CollectionSchema) throws -> [UInt8]? {
        let client = try JSONReader.parseDocument(json).encoded()
        try #require(schema.bytePath == .available)
        let writer = EncodedNewDocument(schema: schema, caller: caller, now: now)
        var out: [UInt8] = [9, 9]  // something before, as in a batch
        let accepted = client.withUnsafeBytes { writer.write(clientDocument: 0, in: $0, id: id, into: &out) }
        return accepted ? Array(out.dropFirst(2)) : nil
    }

    /// Checks the rule; returns whether the byte path accepted.
    @discardableResult
    func compare(_ json: String, _ schema: CollectionSchema, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let model = try modelBytes(json, schema)
        guard let encoded = try encodedBytes(json, schema) else { return false }
        #expect(model != nil, "byte path accepted what the model rejects: \(json)", sourceLocation: sourceLocation)
        #expect(model == encoded, "different bytes for \(json)", sourceLocation: sourceLocation)
        return true
    }

    @Test func ordinaryDocumentsTakeTheBytePathAndMatchTheModel() throws {
        let schema = try compileTestSchema(Self.fields, additionalFields: "reject")
        let accepted = [
            #"{"name":"Widget 00042","sku":"WID-42","price":42.99,"qty":42,"category":"gadgets","tags":["blue","steel"],"dims":{"w":10.5},"supplier":{"name":"Acme"},"released":"2024-03-01T12:00:00Z","rating":4.5,"active":false}"#,
            #"{"name":"abc","price":0}"#,
            #"{"name":"Ünïcødé ok","price":2147483648,"qty":99999,"rating":1e0,"category":"gïzmos"}"#,
            #"{"name":"abc","price":0.5,"dims":{"unit":"mm","w":0},"owner":"65A1B2C3D4E5F60718293A4B","released":"2024-02-29"}"#,
            #"{"name":"abc","price":1,"lines":[{"n":1},{"n":2,"note":"x"}],"extra":{"k":{"deep":[1,{"a":"b"}]}},"anything":[1,"two",[3],{"f":null}]}"#,
            #"{"name":"abc","price":1,"qty":null,"tags":null,"dims":null,"released":null}"#,
            #"{"name":"a\"b\\c\u00e9\ud83d\ude00","price":1}"#,
        ]
        for json in accepted {
            #expect(try compare(json, schema), "not accepted by the byte path: \(json)")
        }
    }

    @Test func everythingTheModelRejectsIsLeftToIt() throws {
        let schema = try compileTestSchema(Self.fields, additionalFields: "reject")
        let rejected = [
            #"{"price":1}"#, #"{"name":"ab","price":1}"#, #"{"name":"abc","price":-1}"#, #"{"name":"abc","price":"1"}"#,
            #"{"name":"abc","price":1,"qty":1.5}"#, #"{"name":"abc","price":1,"sku":"wid-1"}"#,
            #"{"name":"abc","price":1,"category":"other"}"#, #"{"name":"abc","price":1,"tags":["a","b","c","d","e"]}"#,
            #"{"name":"abc","price":1,"tags":["much too long"]}"#, #"{"name":"abc","price":1,"tags":[null]}"#,
            #"{"name":"abc","price":1,"dims":{"w":-1}}"#, #"{"name":"abc","price":1,"supplier":{}}"#,
            #"{"name":"abc","price":1,"released":"yesterday"}"#, #"{"name":"abc","price":1,"owner":"xyz"}"#,
            #"{"name":"abc","price":1,"rating":6}"#, #"{"name":"abc","price":1,"undeclared":1}"#,
            #"{"name":"abc","price":1,"$set":1}"#, #"{"name":"abc","price":1,"extra":{"a.b":1}}"#,
            #"{"name":"abc","price":1,"anything":[{"$x":1}]}"#, #"{"name":null,"price":1}"#,
            #"{"name":"abc","price":1,"lines":[{"n":"one"}]}"#,
        ]
        for json in rejected {
            #expect(try modelBytes(json, schema) == nil, "the model accepts \(json)")
            try compare(json, schema)
        }
    }

    @Test func keysTheBytePathCannotDecideGoToTheModel() throws {
        let schema = try compileTestSchema(Self.fields)
        // Reserved keys are dropped by the model; a non-ASCII key may equal a declared name.
        for json in [#"{"name":"abc","price":1,"_id":"x","tenant_id":"other"}"#, #"{"name":"abc","price":1,"cafe\u0301":1}"#] {
            #expect(try encodedBytes(json, schema) == nil)
            #expect(try modelBytes(json, schema) != nil)
        }
        // Integral doubles of an integer field are normalised by the model only.
        #expect(try encodedBytes(#"{"name":"abc","price":1,"qty":3.0}"#, schema) == nil)
    }

    @Test func randomDocumentsNeverDisagree() throws {
        let strict = try compileTestSchema(Self.fields, additionalFields: "reject")
        let open = try compileTestSchema(Self.fields)
        var generator = SplitMix(state: 0x5EED)
        var acceptedCount = 0
        for _ in 0..<4000 {
            let json = RandomProductJSON.make(using: &generator)
            if try compare(json, strict) { acceptedCount += 1 }
            try compare(json, open)
        }
        #expect(acceptedCount > 400, "the byte path should accept a fair share (\(acceptedCount))")
    }
}

/// `Permission.allows(bsonBytes:at:)` decodes only the top-level fields the conditions
/// read: it must agree with `allows(_:)` on the whole document.
@Suite struct EncodedPermissionTests {
    @Test func readingOnlyThePolicyFieldsGivesTheSameAnswer() throws {
        let yaml = """
            collections:
              things:
                fields:
            \(EncodedSchemaTests.fields.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
            policies:
              things:
                maker:
                  actions: [create]
                  when: doc.created_by == user.id and doc.price >= 0 and (doc.category in ['widgets', 'gïzmos'] or doc.dims.w > 2 or doc.tags == 'a')
                other:
                  actions: [create]
                  when: doc.lines.n == 2 or exists(doc.missing)
            """
        let config = try loadTestConfig(withBaseConfig(yaml))
        let collection = try #require(config.collections["things"])
        let caller = Caller(id: "user-1", tenantId: "t", roles: ["maker", "other"])
        let permission = try Permission(caller: caller, action: .create, collection: "things", policy: config.policies["things"])
        #expect(Set(permission.documentFields) == ["created_by", "price", "category", "dims", "tags", "lines", "missing"])
        var generator = SplitMix(state: 0xA11_0E5)
        var allowed = 0
        var compared = 0
        var scratch: BSONDocument = ["left over": 1]
        for _ in 0..<3000 {
            let json = RandomProductJSON.make(using: &generator)
            var document = NewDocument.make(
                from: try JSONReader.parseDocument(json), id: ObjectId.generate(), caller: caller, now: BSONDate.now())
            guard collection.schema.validate(&document) == nil else { continue }
            let bytes = [1, 2, 3] + document.encoded()
            let fromBytes = bytes.withUnsafeBytes { permission.allows(bsonBytes: $0, at: 3, scratch: &scratch) }
            #expect(fromBytes == permission.allows(document), "\(json)")
            compared += 1
            if fromBytes == true { allowed += 1 }
        }
        #expect(compared > 300 && allowed > 50 && allowed < compared, "\(allowed) of \(compared) allowed")
    }
}

/// Documents for `EncodedSchemaTests.fields`, mostly close to valid: each field is left
/// out, given a good value, or given a value of another shape.
enum RandomProductJSON {
    static let values: [String: [String]] = [
        "name": [#""Widget""#, #""ab""#, #""Ünïcødé name""#, #""x\u00e9y""#, "12", "null", #""twenty-one characters""#],
        "sku": [#""WID-1""#, #""wid-1""#, #""ÄBC-1""#, "3"],
        "price": ["0", "9.99", "-1", "1e308", "2147483648", #""5""#, "null"],
        "qty": ["0", "7", "3.0", "-2", "100001", "9223372036854775807", "null"],
        "category": [#""widgets""#, #""gadgets""#, #""gïzmos""#, #""gi\u0308zmos""#, #""other""#, "1"],
        "tags": [#"[]"#, #"["a","b"]"#, #"["a","b","c","d","e"]"#, #"["toolongvalue"]"#, #"[1]"#, #"[null]"#, "null", #""a""#],
        "dims": [#"{}"#, #"{"w":1}"#, #"{"w":-1}"#, #"{"unit":"in"}"#, #"{"w":1,"z":2}"#, #"{"$w":1}"#, "[]"],
        "supplier": [#"{"name":"Acme"}"#, #"{}"#, #"{"name":null}"#, #"{"name":"A","x.y":1}"#],
        "released": [#""2024-03-01T12:00:00Z""#, #""2024-02-30""#, #""2024-03-01""#, #""2024-03-01T12:00:00+02:00""#, "17"],
        "owner": [#""65a1b2c3d4e5f60718293a4b""#, #""65a1b2c3d4e5f60718293a4""#, #""zz""#],
        "rating": ["0", "5", "5.5", "4.5", "true"],
        "active": ["true", "false", "null", "0"],
        "lines": [#"[]"#, #"[{"n":1}]"#, #"[{"n":1.0}]"#, #"[{"n":1,"note":"a"},{"q":1}]"#, #"[1]"#],
        "extra": [#"{"a":{"b":[1,2,{"c":3}]}}"#, #"{"a.b":1}"#, #"{"a":[{"$b":1}]}"#, "5"],
        "anything": [#"[1,"a",{"b":[2]}]"#, #"[{"c.d":1}]"#, "{}"],
        "undeclared": ["1", #"{"x":1}"#],
        "_id": [#""abc""#],
        "created_by": [#""me""#],
    ]

    static func make(using generator: inout SplitMix) -> String {
        var members: [String] = []
        for (key, choices) in values.sorted(by: { $0.key < $1.key }).shuffled(using: &generator) {
            let present = key == "name" || key == "price" ? 0.95 : (key.hasPrefix("_") || key == "created_by" || key == "undeclared" ? 0.05 : 0.6)
            guard Double.random(in: 0..<1, using: &generator) < present else { continue }
            // Mostly the first (valid) choices, sometimes any.
            let pick = Double.random(in: 0..<1, using: &generator) < 0.7 ? 0 : Int.random(in: 0..<choices.count, using: &generator)
            members.append("\"\(key)\":\(choices[pick])")
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}
