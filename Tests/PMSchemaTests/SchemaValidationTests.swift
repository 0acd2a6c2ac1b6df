import PMBSON
import PMTestKit
import Testing
@testable import PMSchema

@Suite struct SchemaValidationTests {
    let products: CollectionSchema

    init() throws {
        products = try compileTestSchema(productFieldsYAML)
    }

    /// The violation message for `document` against `schema` (products by default); `nil` when valid.
    private func message(_ document: BSONDocument, _ schema: CollectionSchema? = nil) -> String? {
        var document = document
        return (schema ?? products).validate(&document)?.message
    }

    private func validated(_ document: BSONDocument, _ schema: CollectionSchema? = nil) -> BSONDocument? {
        var document = document
        return (schema ?? products).validate(&document) == nil ? document : nil
    }

    // MARK: required and types

    @Test func validDocumentPassesAndGetsDefault() {
        let document = validated(["name": "Widget A", "price": 19.99, "category": "widgets"])
        #expect(document == ["name": "Widget A", "price": 19.99, "category": "widgets", "active": true])
    }

    @Test func requiredFields() {
        #expect(message(["price": 20.0]) == "name is required")
        #expect(message(["name": "Widget"]) == "price is required")
        #expect(message(["name": .null, "price": 1]) == "name is required")
    }

    @Test func optionalFieldsMayBeNullOrMissing() {
        #expect(message(["name": "abc", "price": 1, "qty": .null, "tags": .null, "dims": .null, "released": .null]) == nil)
        // An explicit null is not missing: no default then.
        #expect(validated(["name": "abc", "price": 1, "active": .null])?["active"] == .null)
    }

    @Test func typeMismatches() {
        #expect(message(["name": "abc", "price": "10"]) == "price must be a number")
        #expect(message(["name": 12, "price": 1]) == "name must be a string")
        #expect(message(["name": "abc", "price": 1, "qty": 1.5]) == "qty must be an integer")
        #expect(message(["name": "abc", "price": 1, "qty": "3"]) == "qty must be an integer")
        #expect(message(["name": "abc", "price": 1, "active": "yes"]) == "active must be a boolean")
        #expect(message(["name": "abc", "price": 1, "dims": [1, 2]]) == "dims must be an object")
        #expect(message(["name": "abc", "price": 1, "tags": "a"]) == "tags must be an array")
        #expect(message(["name": "abc", "price": 1, "released": 5]) == "released must be a date (ISO-8601)")
    }

    @Test func numbersOfEveryBSONKind() {
        #expect(message(["name": "abc", "price": .int32(3)]) == nil)
        #expect(message(["name": "abc", "price": .int64(3)]) == nil)
        #expect(message(["name": "abc", "price": .double(3.5)]) == nil)
        #expect(message(["name": "abc", "price": .bool(true)]) == "price must be a number")
    }

    @Test func integersAreNormalised() {
        #expect(validated(["name": "abc", "price": 1, "qty": 3.0])?["qty"] == .int32(3))
        #expect(validated(["name": "abc", "price": 1, "qty": .double(5_000_000_000)])?["qty"] == .int64(5_000_000_000))
        #expect(validated(["name": "abc", "price": 1, "qty": .int64(7)])?["qty"] == .int64(7))
        #expect(message(["name": "abc", "price": 1, "qty": .double(.infinity)]) == "qty must be an integer")
        #expect(message(["name": "abc", "price": 1, "qty": .double(1e300)]) == "qty must be an integer")
    }

    // MARK: rules

    @Test func minimumAndMaximum() throws {
        #expect(message(["name": "abc", "price": -5.0]) == "price must be at least 0")
        #expect(message(["name": "abc", "price": 0]) == nil)
        #expect(message(["name": "abc", "price": 1, "qty": -1]) == "qty must be at least 0")
        let schema = try compileTestSchema("price: { type: number, min: 0.5, max: 100 }\nratio: { type: number, max: 2.5 }")
        #expect(message(["price": 100], schema) == nil)
        #expect(message(["price": 100.01], schema) == "price must be at most 100")
        #expect(message(["price": 0.25], schema) == "price must be at least 0.5")
        #expect(message(["price": 1, "ratio": 3], schema) == "ratio must be at most 2.5")
        #expect(message(["price": .double(.nan)], schema) == "price must be at least 0.5")
    }

    @Test func largeIntegersCompareExactly() throws {
        let schema = try compileTestSchema("n: { type: integer, max: 9007199254740992 }")
        #expect(message(["n": .int64(9_007_199_254_740_992)], schema) == nil)
        #expect(message(["n": .int64(9_007_199_254_740_993)], schema) == "n must be at most 9007199254740992")
    }

    @Test func stringLengths() {
        #expect(message(["name": "ab", "price": 1]) == "name must be at least 3 characters")
        #expect(message(["name": "abc", "price": 1]) == nil)
        #expect(message(["name": .string(String(repeating: "x", count: 200)), "price": 1]) == nil)
        #expect(message(["name": .string(String(repeating: "x", count: 201)), "price": 1]) == "name must be at most 200 characters")
        // Characters, not bytes: three two-byte characters are enough.
        #expect(message(["name": "éèê", "price": 1]) == nil)
    }

    @Test func arrayLengths() throws {
        let schema = try compileTestSchema("tags: { type: array, min_length: 1, max_length: 5, items: { type: string } }")
        #expect(message(["tags": []], schema) == "tags must have at least 1 items")
        #expect(message(["tags": ["a", "b", "c", "d", "e", "f"]], schema) == "tags must have at most 5 items")
        #expect(message(["tags": ["a", "b", "c", "d", "e"]], schema) == nil)
    }

    @Test func enumValues() throws {
        #expect(message(["name": "abc", "price": 1, "category": "tools"]) == "category must be one of [widgets, gadgets]")
        #expect(message(["name": "abc", "price": 1, "category": "gadgets"]) == nil)
        let schema = try compileTestSchema("level: { type: number, enum: [1, 2.5, 3.0] }\nflag: { type: boolean, enum: [true] }")
        #expect(message(["level": 4], schema) == "level must be one of [1, 2.5, 3]")
        #expect(message(["level": 1.0], schema) == nil)
        #expect(message(["level": .int64(3)], schema) == nil)
        #expect(message(["level": 2.5], schema) == nil)
        #expect(message(["flag": false], schema) == "flag must be one of [true]")
    }

    @Test func patterns() {
        #expect(message(["name": "abc", "price": 1, "sku": "ABC-123"]) == nil)
        #expect(message(["name": "abc", "price": 1, "sku": "abc-123"]) == "sku must match pattern ^[A-Z]{3}-[0-9]+$")
        #expect(message(["name": "abc", "price": 1, "sku": "ABC-12x"]) == "sku must match pattern ^[A-Z]{3}-[0-9]+$")
    }

    @Test func unanchoredPatternMatchesAnywhere() throws {
        let schema = try compileTestSchema("code: { type: string, pattern: \"[0-9]+\" }")
        #expect(message(["code": "ab12cd"], schema) == nil)
        #expect(message(["code": "abcd"], schema) == "code must match pattern [0-9]+")
    }

    @Test func firstViolationInDeclarationOrder() {
        // price is declared before category, whatever the document's order.
        #expect(message(["category": "bad", "name": "abc", "price": -1]) == "price must be at least 0")
        #expect(message(["price": -1]) == "name is required")
    }

    // MARK: nesting

    @Test func nestedObjects() {
        #expect(message(["name": "abc", "price": 1, "dims": ["w": "wide"]]) == "dims.w must be a number")
        #expect(message(["name": "abc", "price": 1, "dims": ["w": 2, "h": 3]]) == nil)
        #expect(message(["name": "abc", "price": 1, "dims": [:]]) == nil)
    }

    @Test func deeplyNestedRequiredAndDefaults() throws {
        let schema = try compileTestSchema("""
            a:
              type: object
              fields:
                b:
                  type: object
                  required: true
                  fields:
                    c: { type: string, required: true }
                    d: { type: integer, default: 7 }
            """)
        #expect(message(["a": [:]], schema) == "a.b is required")
        #expect(message(["a": ["b": [:]]], schema) == "a.b.c is required")
        #expect(validated(["a": ["b": ["c": "x"]]], schema) == ["a": ["b": ["c": "x", "d": 7]]])
    }

    @Test func arraysOfScalars() {
        #expect(message(["name": "abc", "price": 1, "tags": ["a", 2]]) == "tags[1] must be a string")
        #expect(message(["name": "abc", "price": 1, "tags": ["a", .null]]) == "tags[1] must be a string")
        #expect(message(["name": "abc", "price": 1, "tags": []]) == nil)
    }

    @Test func arraysOfObjects() throws {
        let schema = try compileTestSchema("""
            lines:
              type: array
              items:
                type: object
                fields:
                  sku: { type: string, required: true }
                  qty: { type: integer, min: 1 }
                  at:  { type: date }
            """)
        #expect(message(["lines": [["sku": "a", "qty": 1], ["qty": 2]]], schema) == "lines[1].sku is required")
        #expect(message(["lines": [["sku": "a", "qty": 0]]], schema) == "lines[0].qty must be at least 1")
        #expect(message(["lines": [5]], schema) == "lines[0] must be an object")
        let document = validated(["lines": [["sku": "a", "qty": 2.0, "at": "2024-05-06T07:08:09.010Z"]]], schema)
        let expectedDate = BSON.date(BSONDate(iso8601: "2024-05-06T07:08:09.010Z")!)
        #expect(document == ["lines": [["sku": "a", "qty": .int32(2), "at": expectedDate]]])
    }

    @Test func arraysOfArrays() throws {
        let schema = try compileTestSchema("grid: { type: array, items: { type: array, items: { type: number, max: 9 } } }")
        #expect(message(["grid": [[1, 2], [3, 10]]], schema) == "grid[1][1] must be at most 9")
    }

    @Test func itemRules() throws {
        let schema = try compileTestSchema("tags: { type: array, items: { type: string, min_length: 2, enum: [aa, bb] } }")
        #expect(message(["tags": ["aa", "b"]], schema) == "tags[1] must be at least 2 characters")
        #expect(message(["tags": ["aa", "cc"]], schema) == "tags[1] must be one of [aa, bb]")
    }

    // MARK: normalisation

    @Test func datesAreNormalised() {
        let document = validated(["name": "abc", "price": 1, "released": "2024-03-01T12:00:00Z"])
        #expect(document?["released"] == .date(BSONDate(millisecondsSince1970: 1_709_294_400_000)))
        #expect(message(["name": "abc", "price": 1, "released": "yesterday"]) == "released must be a date (ISO-8601)")
        let stored = BSON.date(BSONDate(millisecondsSince1970: 42))
        #expect(validated(["name": "abc", "price": 1, "released": stored])?["released"] == stored)
    }

    @Test func objectIdsAreNormalised() throws {
        let schema = try compileTestSchema("owner: { type: objectid, required: true }")
        let hex = "507f1f77bcf86cd799439011"
        #expect(validated(["owner": .string(hex)], schema)?["owner"] == .objectId(ObjectId(hex: hex)!))
        #expect(validated(["owner": .objectId(ObjectId(hex: hex)!)], schema)?["owner"] == .objectId(ObjectId(hex: hex)!))
        #expect(message(["owner": "507f1f77bcf86cd79943901"], schema) == "owner must be an ObjectId (24 hex digits)")
        #expect(message(["owner": 5], schema) == "owner must be an ObjectId (24 hex digits)")
    }

    @Test func defaultsAreAppendedOnlyWhenMissing() throws {
        #expect(validated(["name": "abc", "price": 1, "active": false])?["active"] == false)
        let schema = try compileTestSchema("""
            status: { type: string, default: draft }
            tags: { type: array, items: { type: string }, default: [new] }
            meta: { type: object, default: { source: api } }
            """)
        #expect(validated([:], schema) == ["status": "draft", "tags": ["new"], "meta": ["source": "api"]])
        #expect(validated(["status": "live"], schema) == ["status": "live", "tags": ["new"], "meta": ["source": "api"]])
    }

    @Test func documentOrderIsKept() {
        let document = validated(["price": 2, "z": 1, "name": "abc", "released": "2024-01-01"])
        #expect(document?.keys == ["price", "z", "name", "released", "active"])
    }

    // MARK: additional fields, reserved fields, unsafe names

    @Test func additionalFieldsAllowedByDefault() {
        #expect(message(["name": "abc", "price": 1, "color": "red", "extra": ["x": 1]]) == nil)
    }

    @Test func additionalFieldsRejected() throws {
        let schema = try compileTestSchema("name: { type: string }", additionalFields: "reject")
        #expect(message(["name": "x", "color": "red"], schema) == "color is not an allowed field")
        #expect(message(["color": "red", "name": 5], schema) == "name must be a string")
        #expect(message(["name": "x"], schema) == nil)
    }

    @Test func nestedObjectsInheritOrOverrideRejection() throws {
        let schema = try compileTestSchema("""
            dims: { type: object, fields: { w: { type: number } } }
            meta: { type: object, additional_fields: allow, fields: { a: { type: string } } }
            free: { type: object }
            """, additionalFields: "reject")
        #expect(message(["dims": ["w": 1, "h": 2]], schema) == "dims.h is not an allowed field")
        #expect(message(["meta": ["a": "x", "b": 2]], schema) == nil)
        #expect(message(["free": ["anything": ["goes": true]]], schema) == nil)
    }

    @Test func reservedFieldsAreSkipped() throws {
        let schema = try compileTestSchema("name: { type: string, required: true }", additionalFields: "reject")
        let id = BSON.objectId(ObjectId(hex: "507f1f77bcf86cd799439011")!)
        let now = BSON.date(BSONDate(millisecondsSince1970: 1))
        let document: BSONDocument = [
            "_id": id, "tenant_id": "t1", "created_by": "u1", "created_at": now, "updated_at": now,
            "updated_by": "u2", "deleted_at": now, "deleted_by": "u3", "name": "x",
        ]
        #expect(message(document, schema) == nil)
        // Only at the top level.
        let nested = try compileTestSchema("meta: { type: object, fields: { a: { type: string } } }", additionalFields: "reject")
        #expect(message(["meta": ["a": "x", "tenant_id": "t"]], nested) == "meta.tenant_id is not an allowed field")
    }

    @Test func unsafeFieldNamesAreRejectedFirstAtAnyDepth() {
        #expect(message(["$where": "1", "name": "abc", "price": 1]) == "field name \"$where\" is not allowed")
        #expect(message(["a.b": 1, "name": "abc", "price": 1]) == "field name \"a.b\" is not allowed")
        #expect(message(["": 1, "name": "abc", "price": 1]) == "field name \"\" is not allowed")
        #expect(message(["nul\u{0}key": 1, "name": "abc", "price": 1]) == "field name \"nul\u{0}key\" is not allowed")
        // Before any rule: name is missing, but the unsafe key wins.
        #expect(message(["price": 1, "extra": ["deep": [["$gt": 1]]]]) == "field name \"$gt\" is not allowed (in extra.deep[0])")
        var document: BSONDocument = ["dims": ["w.x": 1]]
        let violation = products.validate(&document)
        #expect(violation == SchemaViolation(path: "dims.w.x", message: "field name \"w.x\" is not allowed (in dims)"))
        // A `$` inside a name is fine.
        #expect(message(["name": "abc", "price": 1, "cost$": 1]) == nil)
    }

    @Test func violationPaths() {
        var document: BSONDocument = ["name": "abc", "price": 1, "tags": ["a", 1]]
        #expect(products.validate(&document)?.path == "tags[1]")
        document = ["name": "abc", "price": 1, "dims": ["w": "x"]]
        #expect(products.validate(&document)?.path == "dims.w")
    }

    @Test func emptySchemaAcceptsAnythingSafe() {
        let schema = CollectionSchema()
        #expect(message(["anything": 1], schema) == nil)
        #expect(message(["$bad": 1], schema) == "field name \"$bad\" is not allowed")
        #expect(message(["x": 1], CollectionSchema(additionalFields: .reject)) == "x is not an allowed field")
    }

    @Test func numberText() {
        #expect(NumberText.format(0) == "0")
        #expect(NumberText.format(100) == "100")
        #expect(NumberText.format(-3) == "-3")
        #expect(NumberText.format(2.5) == "2.5")
        #expect(NumberText.format(0.1) == "0.1")
    }
}
