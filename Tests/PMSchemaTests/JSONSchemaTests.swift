import PMBSON
import PMTestKit
import Testing
@testable import PMSchema

/// Each field type and rule as JSON Schema (the OpenAPI document's bodies).
@Suite struct JSONSchemaTests {
    /// The `properties` entry of `name` in the document schema of `fields`.
    private func property(_ name: String, _ fields: String) throws -> String {
        let schema = try compileTestSchema(fields).documentJSONSchema()
        guard case .document(let properties)? = schema["properties"], let value = properties[name] else {
            Issue.record("no property \(name)")
            return ""
        }
        return value.jsonString
    }

    @Test func typesAllowNullUnlessRequired() throws {
        #expect(try property("a", "a: number") == #"{"type":["number","null"]}"#)
        #expect(try property("a", "a: { type: integer, required: true }") == #"{"type":"integer"}"#)
        #expect(try property("a", "a: { type: string, required: true }") == #"{"type":"string"}"#)
        #expect(try property("a", "a: { type: boolean, required: true }") == #"{"type":"boolean"}"#)
        #expect(try property("a", "a: { type: date, required: true }")
            == #"{"type":"string","format":"date-time","description":"ISO-8601; a date alone or another zone is read too"}"#)
        #expect(try property("a", "a: { type: objectid, required: true }")
            == #"{"type":"string","pattern":"^[0-9a-fA-F]{24}$"}"#)
        #expect(try property("a", "a: { type: object, required: true }") == #"{"type":"object"}"#)
        #expect(try property("a", "a: { type: array, required: true }") == #"{"type":"array"}"#)
    }

    @Test func rules() throws {
        #expect(try property("a", "a: { type: number, required: true, min: 0, max: 2.5, multiple_of: 0.5 }")
            == #"{"type":"number","minimum":0,"maximum":2.5,"multipleOf":0.5}"#)
        #expect(try property("a", "a: { type: string, required: true, min_length: 3, max_length: 9, pattern: \"^[A-Z]+$\" }")
            == #"{"type":"string","minLength":3,"maxLength":9,"pattern":"^[A-Z]+$"}"#)
        #expect(try property("a", "a: { type: array, required: true, min_length: 1, max_length: 5 }")
            == #"{"type":"array","minItems":1,"maxItems":5}"#)
        // enum: null joins the values of a field that may be null.
        #expect(try property("a", "a: { type: string, enum: [x, y] }") == #"{"type":["string","null"],"enum":["x","y",null]}"#)
        // Values as JSON writes them: a date default as ISO-8601.
        #expect(try property("a", "a: { type: date, default: \"2024-03-01\" }")
            == #"{"type":["string","null"],"format":"date-time","description":"ISO-8601; a date alone or another zone is read too","default":"2024-03-01T00:00:00.000Z"}"#)
        #expect(try property("a", "a: { type: integer, unique: true }")
            == #"{"type":["integer","null"],"description":"unique within the tenant"}"#)
        #expect(try property("a", "a: { type: date, unique: true, required: true }")
            == #"{"type":"string","format":"date-time","description":"ISO-8601; a date alone or another zone is read too; unique within the tenant"}"#)
    }

    @Test func nestedObjectsAndItems() throws {
        let nested = try property("dims", """
            dims:
              type: object
              additional_fields: reject
              fields: { w: { type: number, required: true }, h: number }
            """)
        #expect(nested == #"{"type":["object","null"],"properties":{"w":{"type":"number"},"h":{"type":["number","null"]}},"required":["w"],"additionalProperties":false}"#)
        // Items are never null.
        let items = try property("lines", "lines: { type: array, items: { type: object, fields: { sku: { type: string, required: true } } } }")
        #expect(items == #"{"type":["array","null"],"items":{"type":"object","properties":{"sku":{"type":"string"}},"required":["sku"]}}"#)
    }

    @Test func documentHasTheServerFieldsFirstAndReadOnly() throws {
        let schema = try compileTestSchema("name: { type: string, required: true }", additionalFields: "reject").documentJSONSchema()
        guard case .document(let properties)? = schema["properties"] else {
            Issue.record("no properties")
            return
        }
        #expect(properties.keys == ReservedFields.ordered + ["name"])
        #expect(properties["_id"]?.jsonString == #"{"type":"string","pattern":"^[0-9a-fA-F]{24}$","readOnly":true}"#)
        #expect(properties["created_at"]?.jsonString == #"{"type":"string","format":"date-time","description":"ISO-8601; a date alone or another zone is read too","readOnly":true}"#)
        #expect(schema["required"] == ["name"])
        #expect(schema["additionalProperties"] == .bool(false))
    }

    @Test func aSchemaWithoutFields() throws {
        let schema = try compileTestSchema("{}").documentJSONSchema()
        #expect(schema["required"] == nil)
        #expect(schema["additionalProperties"] == nil)
    }
}
