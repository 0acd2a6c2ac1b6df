import PMBSON
import PMTestKit
import Testing
@testable import PMSchema

/// Problems in `fields:` definitions, reported at load time.
@Suite struct SchemaConfigTests {
    private let prefix = "collections.things.fields."

    @Test func rulesThatDoNotFitTheType() {
        let found = testSchemaProblems("""
            a: { type: number, min_length: 1 }
            b: { type: string, items: { type: string } }
            c: { type: boolean, min: 0 }
            d: { type: array, pattern: "x" }
            e: { type: object, enum: [1] }
            f: { type: string, fields: { x: { type: string } } }
            g: { type: array, unique: true }
            h: { type: string, additional_fields: reject }
            """)
        #expect(found == [
            prefix + "a.min_length: min_length does not apply to type number",
            prefix + "b.items: items does not apply to type string",
            prefix + "c.min: min does not apply to type boolean",
            prefix + "d.pattern: pattern does not apply to type array",
            prefix + "e.enum: enum does not apply to type object",
            prefix + "f.fields: fields does not apply to type string",
            prefix + "g.unique: unique does not apply to type array",
            prefix + "h.additional_fields: additional_fields does not apply to type string",
        ])
    }

    @Test func defaultsOfTheWrongTypeOrBreakingRules() {
        let found = testSchemaProblems("""
            a: { type: boolean, default: "yes please" }
            b: { type: number, default: abc }
            c: { type: integer, default: 1.5 }
            d: { type: number, min: 0, default: -1 }
            e: { type: string, enum: [x, y], default: z }
            f: { type: date, default: "not a date" }
            g: { type: string, required: true, default: x }
            h: { type: array, items: { type: string }, default: [a, 1] }
            """)
        #expect(found == [
            prefix + "a.default: a must be a boolean",
            prefix + "b.default: b must be a number",
            prefix + "c.default: c must be an integer",
            prefix + "d.default: d must be at least 0",
            prefix + "e.default: e must be one of [x, y]",
            prefix + "f.default: f must be a date (ISO-8601)",
            prefix + "g.default: default cannot be combined with required: true",
            prefix + "h.default: h[1] must be a string",
        ])
    }

    @Test func malformedRuleValues() {
        let found = testSchemaProblems("""
            a: { type: number, min: 5, max: 1 }
            b: { type: string, min_length: -1, max_length: x }
            c: { type: string, min_length: 5, max_length: 2 }
            d: { type: string, pattern: "([a-z" }
            e: { type: string, enum: [] }
            f: { type: number, enum: [1, two] }
            g: { type: strng }
            h: { required: true }
            i: { type: string, required: "yes" }
            """)
        #expect(found.count == 10)
        #expect(found[0] == prefix + "a.max: must not be less than min")
        #expect(found[1] == prefix + "b.min_length: must be at least 0")
        #expect(found[2] == prefix + "b.max_length: must be an integer")
        #expect(found[3] == prefix + "c.max_length: must not be less than min_length")
        #expect(found[4].hasPrefix(prefix + "d.pattern: invalid regular expression"))
        #expect(found[5] == prefix + "e.enum: must be a non-empty list of values")
        #expect(found[6] == prefix + "f.enum[1]: f must be a number")
        #expect(found[7] == prefix + "g.type: must be one of number, integer, string, boolean, object, array, date, objectid (got \"strng\")")
        #expect(found[8] == prefix + "h: type is required (one of number, integer, string, boolean, object, array, date, objectid)")
        #expect(found[9] == prefix + "i.required: must be true or false")
    }

    @Test func unsafeAndReservedFieldNames() {
        let found = testSchemaProblems("""
            $where: { type: string }
            "a.b": { type: string }
            created_at: { type: date }
            _id: { type: objectid }
            nested:
              type: object
              fields:
                tenant_id: { type: string }
                "$x": { type: string }
            """)
        #expect(found == [
            prefix + "$where: field name \"$where\" is not allowed (empty, starts with $, or contains . or NUL)",
            prefix + "a.b: field name \"a.b\" is not allowed (empty, starts with $, or contains . or NUL)",
            prefix + "created_at: created_at is set by the server and cannot be declared",
            prefix + "_id: _id is set by the server and cannot be declared",
            prefix + "nested.fields.$x: field name \"$x\" is not allowed (empty, starts with $, or contains . or NUL)",
        ])
    }

    @Test func itemsCannotBeRequiredUniqueOrDefaulted() {
        let found = testSchemaProblems("tags: { type: array, items: { type: string, required: true, unique: true } }")
        #expect(found == [
            prefix + "tags.items.required: required does not apply to array items",
            prefix + "tags.items.unique: unique does not apply to array items",
        ])
    }

    @Test func nestedProblemsHaveFullKeyPaths() {
        let found = testSchemaProblems("""
            dims:
              type: object
              fields:
                w: { type: number, min: wide }
            lines:
              type: array
              items:
                type: object
                fields:
                  qty: { type: integer, max_length: 2 }
            """)
        #expect(found == [
            prefix + "dims.fields.w.min: must be a number",
            prefix + "lines.items.fields.qty.max_length: max_length does not apply to type integer",
        ])
    }

    @Test func shorthandTypeAndCompiledForm() throws {
        let schema = try compileTestSchema("""
            name: string
            sku: { type: string, unique: true }
            dims: { type: object, fields: { code: { type: string, unique: true } } }
            lines: { type: array, items: { type: object, fields: { price: { type: number } } } }
            """)
        #expect(schema.root.fields.map(\.type) == [.string, .string, .object, .array])
        #expect(schema.uniqueFields == ["sku", "dims.code"])
        #expect(schema.field(at: "dims.code")?.type == .string)
        #expect(schema.field(at: "lines.price")?.type == .number)
        #expect(schema.field(at: "lines")?.items?.type == .object)
        #expect(schema.field(at: "nope") == nil)
        #expect(schema.field(at: "dims.nope") == nil)
    }

    @Test func defaultsAreNormalised() throws {
        let schema = try compileTestSchema("""
            since: { type: date, default: "2024-01-02T03:04:05Z" }
            owner: { type: objectid, default: "0123456789abcdef01234567" }
            count: { type: integer, default: 2.0 }
            tags: { type: array, default: [] }
            """)
        #expect(schema.root.fields[0].defaultValue == .date(BSONDate(iso8601: "2024-01-02T03:04:05Z")!))
        #expect(schema.root.fields[1].defaultValue == .objectId(ObjectId(hex: "0123456789abcdef01234567")!))
        #expect(schema.root.fields[2].defaultValue == .int32(2))
        #expect(schema.root.fields[3].defaultValue == .array([]))
    }
}
