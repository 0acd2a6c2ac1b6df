import PMBSON
import PMSchema
import PMTestKit
import Testing
@testable import PMClient

@Suite("CSV values typed by the collection's schema")
struct SchemaTypingTests {
    static let yaml = """
        database:
          uri: mongodb://127.0.0.1:27017
        auth:
          jwt:
            secret: test-secret-0123456789-0123456789-abcdef
        collections:
          products:
            fields:
              name:     { type: string, required: true }
              price:    { type: number }
              qty:      { type: integer }
              active:   { type: boolean }
              released: { type: date }
              owner:    { type: objectid }
              tags:     { type: array, items: { type: string } }
              sizes:    { type: array, items: { type: integer } }
              meta:     { type: object }
              dims:     { type: object, fields: { w: { type: number }, unit: { type: string } } }
        """

    /// The products schema, loaded from a configuration directory like the gateway's.
    static func typing() throws -> SchemaTyping {
        let directory = try TemporaryDirectory(["gateway.yml": yaml])
        defer { directory.remove() }
        let config = try ClientConfig.load(directory: directory.path)
        return SchemaTyping(schema: try ClientConfig.schema(of: "products", in: config, directory: directory.path))
    }

    private func document(_ typing: SchemaTyping, _ header: [String], _ values: [String]) throws -> BSONDocument {
        try typing.document(columns: try typing.columns(for: header), values: values)
    }

    private func mismatch(_ typing: SchemaTyping, _ column: String, _ value: String) throws -> String? {
        let columns = try typing.columns(for: [column])
        do {
            _ = try typing.document(columns: columns, values: [value])
            return nil
        } catch {
            return error.message
        }
    }

    @Test func valuesTakeTheirFieldsTypes() throws {
        let typing = try Self.typing()
        let doc = try document(
            typing,
            ["name", "price", "qty", "active", "released", "owner", "tags", "sizes", "meta", "dims.w", "dims.unit", "extra"],
            ["Widget", "19.99", "3", "TRUE", "2024-01-02T03:04:05Z", "65a1b2c3d4e5f60718293a4b", "a; b ;c", "[1,2]",
             #"{"k":1}"#, "2.5", "cm", "007"])
        #expect(doc == BSONDocument([
            "name": .string("Widget"), "price": .double(19.99), "qty": .int32(3), "active": .bool(true),
            "released": .string("2024-01-02T03:04:05Z"), "owner": .string("65a1b2c3d4e5f60718293a4b"),
            "tags": .array([.string("a"), .string("b"), .string("c")]), "sizes": .array([.int32(1), .int32(2)]),
            "meta": .document(BSONDocument(["k": .int32(1)])),
            "dims": .document(BSONDocument(["w": .double(2.5), "unit": .string("cm")])),
            "extra": .string("007"),  // not in the schema: stays a string
        ]))
    }

    @Test func numbersIntegersAndBooleans() throws {
        let typing = try Self.typing()
        #expect(try document(typing, ["price"], ["12"]) == BSONDocument(["price": .int32(12)]))
        #expect(try document(typing, ["price"], [" -3.5e2 "]) == BSONDocument(["price": .double(-350)]))
        #expect(try document(typing, ["price"], ["9007199254740993"]) == BSONDocument(["price": .int64(9_007_199_254_740_993)]))
        #expect(try document(typing, ["qty"], ["4.0"]) == BSONDocument(["qty": .int32(4)]))
        #expect(try document(typing, ["qty"], ["+7"]) == BSONDocument(["qty": .int32(7)]))
        #expect(try document(typing, ["active"], ["no"]) == BSONDocument(["active": .bool(false)]))
        #expect(try document(typing, ["active"], ["1"]) == BSONDocument(["active": .bool(true)]))
    }

    @Test func valuesThatDoNotFitAreMismatchesNamingColumnAndValue() throws {
        let typing = try Self.typing()
        #expect(try mismatch(typing, "price", "abc") == #"price: "abc" is not a number"#)
        #expect(try mismatch(typing, "price", "0x10") == #"price: "0x10" is not a number"#)
        #expect(try mismatch(typing, "price", "inf") == #"price: "inf" is not a number"#)
        #expect(try mismatch(typing, "price", "1,5") == #"price: "1,5" is not a number"#)
        #expect(try mismatch(typing, "qty", "1.5") == #"qty: "1.5" is not an integer"#)
        #expect(try mismatch(typing, "active", "maybe") == #"active: "maybe" is not a boolean (true or false)"#)
        #expect(try mismatch(typing, "released", "yesterday") == #"released: "yesterday" is not an ISO-8601 date"#)
        #expect(try mismatch(typing, "owner", "xyz") == #"owner: "xyz" is not an ObjectId (24 hex digits)"#)
        #expect(try mismatch(typing, "meta", "[1]") == #"meta: "[1]" is not a JSON object"#)
        #expect(try mismatch(typing, "sizes", "1;two") == #"sizes: "two" is not an integer"#)
        #expect(try mismatch(typing, "tags", "[1,") == #"tags: "[1," is not a JSON array"#)
        #expect(try mismatch(typing, "dims.w", "wide") == #"dims.w: "wide" is not a number"#)
    }

    @Test func emptyValuesLeaveTheFieldOut() throws {
        let typing = try Self.typing()
        #expect(try document(typing, ["name", "price", "qty", "dims.w"], ["Widget", "", "", ""]) == BSONDocument(["name": .string("Widget")]))
    }

    @Test func withoutASchemaEverythingStaysAString() throws {
        let typing = SchemaTyping()
        let doc = try document(typing, ["name", "price", "active", "dims.w", "empty"], ["Widget", "19.99", "true", "2", ""])
        #expect(doc == BSONDocument([
            "name": .string("Widget"), "price": .string("19.99"), "active": .string("true"),
            "dims": .document(BSONDocument(["w": .string("2")])),
        ]))
    }

    @Test func unusableHeaders() throws {
        let typing = SchemaTyping()
        func problem(_ header: [String]) -> String? {
            do {
                _ = try typing.columns(for: header)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem(["a", "b", "a"]) == #"CSV header: column "a" appears twice"#)
        #expect(problem(["a", ""]) == "CSV header: column 2 has no name")
        #expect(problem(["a..b"]) == #"CSV header: column 1 has an empty part in "a..b""#)
        #expect(problem(["dims", "dims.w"]) == #"CSV header: columns "dims" and "dims.w" both set "dims""#)
        #expect(problem([" name ", "price"]) == nil)
    }

    @Test func clientConfigNeedsNoDatabaseOrSecret() throws {
        let directory = try TemporaryDirectory(["c.yml": """
            collections:
              notes:
                fields:
                  text: { type: string, required: true }
                  stars: { type: integer }
            """])
        defer { directory.remove() }
        let config = try ClientConfig.load(directory: directory.path)
        let schema = try ClientConfig.schema(of: "notes", in: config, directory: directory.path)
        #expect(schema.field(at: "stars")?.type == .integer)
        #expect(throws: ClientError.input(#"--config \#(directory.path): no collection "orders" (configured: notes)"#)) {
            try ClientConfig.schema(of: "orders", in: config, directory: directory.path)
        }
    }
}
