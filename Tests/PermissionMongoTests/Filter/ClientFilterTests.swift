import PMBSON
import PMTestKit
import Testing
@testable import PMSchema
@testable import PermissionMongo

/// A schema with the typed fields filters care about.
private let filterFields = """
    name:     { type: string }
    price:    { type: number }
    tags:     { type: array, items: { type: string } }
    released: { type: date }
    owner:    { type: objectid }
    dims:     { type: object, fields: { w: { type: number }, made: { type: date } } }
    lines:    { type: array, items: { type: object, fields: { sku: { type: string }, at: { type: date }, ref: { type: objectid } } } }
    """

/// Filters (docs/API.md, "Filters"): the operator allowlist, `$`-keys at field level, `{}`, schema-typed values, depth.
@Suite struct ClientFilterTests {
    let filter: ClientFilter

    init() throws {
        filter = ClientFilter(schema: try compileTestSchema(filterFields))
    }

    private static let hex = "65a1b2c3d4e5f60718293a4b"
    private static let oid = BSON.objectId(ObjectId(hex: hex)!)
    private static let date2023 = BSON.date(BSONDate(millisecondsSince1970: 1_672_531_200_000))  // 2023-01-01T00:00:00Z

    private func parse(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> BSONDocument {
        try JSONReader.parseDocument(json)
    }

    private func read(_ json: String, allowEmpty: Bool = false) throws -> BSONDocument {
        try filter.read(try parse(json), allowEmpty: allowEmpty)
    }

    /// The filter comes out exactly as it went in.
    private func passesThrough(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let input = try parse(json)
            #expect(try filter.read(input, allowEmpty: false) == input, "\(json)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(json) was rejected: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The filter is refused with 400 `bad_request` and a message containing `naming`.
    private func rejects(_ json: String, naming: String, allowEmpty: Bool = false,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let output = try read(json, allowEmpty: allowEmpty)
            Issue.record("\(json) was accepted as \(output)", sourceLocation: sourceLocation)
        } catch let error as DomainError {
            expectBadRequest(GatewayError(error), naming: naming, json, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(json): unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    private func rejects(_ input: BSONDocument, naming: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try filter.read(input, allowEmpty: false)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch let error as DomainError {
            expectBadRequest(GatewayError(error), naming: naming, "document", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    private func expectBadRequest(_ error: GatewayError, naming: String, _ what: String, sourceLocation: SourceLocation) {
        #expect(error.status.code == 400, "\(what)", sourceLocation: sourceLocation)
        #expect(error.code == "bad_request", "\(what)", sourceLocation: sourceLocation)
        #expect(error.message.contains(naming), "\(what): message \"\(error.message)\" should name \(naming)",
                sourceLocation: sourceLocation)
    }

    // MARK: allowed operators pass through unchanged

    @Test func fieldEquality() {
        passesThrough(#"{"name":"Widget"}"#)
        passesThrough(#"{"price":10,"name":"Widget","dims.w":2.5}"#)
        passesThrough(#"{"tags":["a","b"]}"#)
        passesThrough(#"{"dims":{"w":1}}"#)  // an embedded document literal
        passesThrough(#"{"name":null}"#)
        passesThrough(#"{"undeclared.path":true}"#)
    }

    @Test func eachFieldOperatorPassesThrough() {
        passesThrough(#"{"price":{"$eq":1}}"#)
        passesThrough(#"{"price":{"$ne":1}}"#)
        passesThrough(#"{"price":{"$gt":1}}"#)
        passesThrough(#"{"price":{"$gte":1.5}}"#)
        passesThrough(#"{"price":{"$lt":1}}"#)
        passesThrough(#"{"price":{"$lte":1}}"#)
        passesThrough(#"{"price":{"$gt":1,"$lt":10}}"#)
        passesThrough(#"{"name":{"$in":["a","b"]}}"#)
        passesThrough(#"{"name":{"$nin":["a",null]}}"#)
        passesThrough(#"{"name":{"$exists":true}}"#)
        passesThrough(#"{"name":{"$exists":false}}"#)
        passesThrough(#"{"price":{"$not":{"$gt":5}}}"#)
        passesThrough(#"{"tags":{"$all":["a","b"]}}"#)
        passesThrough(#"{"tags":{"$size":2}}"#)
        passesThrough(#"{"name":{"$regex":"^Wid"}}"#)
        passesThrough(#"{"name":{"$regex":"^wid","$options":"i"}}"#)
        passesThrough(#"{"name":{"$not":{"$regex":"^a"}}}"#)
        passesThrough(#"{"tags":{"$elemMatch":{"$eq":"a"}}}"#)
        passesThrough(#"{"lines":{"$elemMatch":{"sku":"A-1","qty":{"$gt":2}}}}"#)
    }

    @Test func logicalOperatorsPassThroughAtAnyDepth() {
        passesThrough(#"{"$and":[{"name":"a"},{"price":{"$gt":1}}]}"#)
        passesThrough(#"{"$or":[{"name":"a"},{"price":{"$lt":1}}]}"#)
        passesThrough(#"{"$nor":[{"name":"a"}]}"#)
        passesThrough(#"{"$and":[{"$or":[{"name":"a"},{"$nor":[{"price":2}]}]},{"tags":"x"}]}"#)
        passesThrough(#"{"name":"a","$or":[{"price":1},{"price":2}]}"#)
        passesThrough(#"{"lines":{"$elemMatch":{"$or":[{"sku":"A"},{"qty":{"$gte":3}}]}}}"#)
    }

    // MARK: forbidden operators

    @Test func forbiddenTopLevelOperators() {
        rejects(#"{"$where":"this.price > 1"}"#, naming: "$where")
        rejects(#"{"$expr":{"$gt":["$price","$cost"]}}"#, naming: "$expr")
        rejects(#"{"$function":{"body":"function(){return true}","args":[],"lang":"js"}}"#, naming: "$function")
        rejects(#"{"$jsonSchema":{"required":["name"]}}"#, naming: "$jsonSchema")
        rejects(#"{"$text":{"$search":"widget"}}"#, naming: "$text")
        rejects(#"{"$x":1}"#, naming: "$x")
        rejects(#"{"$comment":"hi","name":"a"}"#, naming: "$comment")
        rejects(#"{"name":"a","$where":"1"}"#, naming: "$where")
    }

    @Test func forbiddenOperatorsNestedInLogicalOperators() {
        rejects(#"{"$and":[{"name":"a"},{"$accumulator":{"init":"function(){}"}}]}"#, naming: "$accumulator")
        rejects(#"{"$or":[{"$and":[{"$where":"1"}]}]}"#, naming: "$where")
        rejects(#"{"$nor":[{"$expr":true}]}"#, naming: "$expr")
        rejects(#"{"$and":[{"price":{"$function":{}}}]}"#, naming: "$function")
    }

    @Test func dollarKeysAtFieldLevel() {
        rejects(#"{"price":{"$foo":1}}"#, naming: "$foo")
        rejects(#"{"price":{"$where":"1"}}"#, naming: "$where")
        rejects(#"{"price":{"$expr":1}}"#, naming: "$expr")
        rejects(#"{"price":{"$type":"string"}}"#, naming: "$type")
        rejects(#"{"price":{"$mod":[2,0]}}"#, naming: "$mod")
        rejects(#"{"price":{"$and":[{"$gt":1}]}}"#, naming: "$and")
        rejects(#"{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"}}"#, naming: "$oid")
        rejects(#"{"price":{"$gt":1,"$bad":2}}"#, naming: "$bad")
        rejects(#"{"price":{"$not":{"$where":"1"}}}"#, naming: "$where")
        rejects(#"{"lines":{"$elemMatch":{"$where":"1"}}}"#, naming: "$where")
        rejects(#"{"lines":{"$elemMatch":{"sku":{"$foo":1}}}}"#, naming: "$foo")
        rejects(#"{"lines":{"$elemMatch":{"$and":[{"$expr":1}]}}}"#, naming: "$expr")
    }

    @Test func mixingOperatorsAndFieldNames() {
        rejects(#"{"price":{"$gt":1,"x":2}}"#, naming: "price")
        rejects(#"{"price":{"$gt":1,"x":2}}"#, naming: "$gt")
        rejects(#"{"price":{"x":2,"$gt":1}}"#, naming: "$gt")
        rejects(#"{"price":{"$not":{"$gt":1,"x":2}}}"#, naming: "$gt")
        rejects(#"{"tags":{"$elemMatch":{"$gt":1,"x":2}}}"#, naming: "$gt")
    }

    /// Operator documents hidden in the value lists of `$in`, `$nin` and `$all` are
    /// operators too: they must not slip past the allowlist.
    @Test func operatorsInsideValueLists() {
        rejects(#"{"tags":{"$all":[{"$elemMatch":{"$mod":[2,0]}}]}}"#, naming: "$mod")
        rejects(#"{"tags":{"$all":[{"$where":"1"}]}}"#, naming: "$where")
        rejects(#"{"tags":{"$in":[{"$gt":1}]}}"#, naming: "$gt")
        rejects(#"{"tags":{"$nin":["a",{"$where":"1"}]}}"#, naming: "$where")
        // `$all` of `$elemMatch` clauses is MongoDB's own form, checked like any `$elemMatch`.
        passesThrough(#"{"lines":{"$all":[{"$elemMatch":{"sku":"A"}},{"$elemMatch":{"qty":{"$gt":1}}}]}}"#)
        // Plain embedded documents (no `$` keys) are values.
        passesThrough(#"{"dims":{"$in":[{"w":1},{"w":2}]}}"#)
    }

    @Test func operatorShapes() {
        rejects(#"{"$and":[]}"#, naming: "$and")
        rejects(#"{"$or":{"name":"a"}}"#, naming: "$or")
        rejects(#"{"$nor":["a"]}"#, naming: "$nor")
        rejects(#"{"name":{"$in":"a"}}"#, naming: "$in")
        rejects(#"{"name":{"$nin":1}}"#, naming: "$nin")
        rejects(#"{"tags":{"$all":"a"}}"#, naming: "$all")
        rejects(#"{"tags":{"$size":1.5}}"#, naming: "$size")
        rejects(#"{"tags":{"$size":"2"}}"#, naming: "$size")
        rejects(#"{"name":{"$regex":1}}"#, naming: "$regex")
        rejects(#"{"name":{"$regex":"a","$options":1}}"#, naming: "$options")
        rejects(#"{"price":{"$not":5}}"#, naming: "$not")
        rejects(#"{"price":{"$not":{}}}"#, naming: "$not")
        rejects(#"{"price":{"$not":{"x":1}}}"#, naming: "$not")
        rejects(#"{"lines":{"$elemMatch":5}}"#, naming: "$elemMatch")
        rejects(#"{"":1}"#, naming: "empty field name")
    }

    // MARK: empty filter

    @Test func emptyFilterNeedsPermission() throws {
        rejects("{}", naming: "empty filter")
        rejects(#"{"$and":[{}]}"#, naming: "empty filter")
        rejects(#"{"$or":[{"a":1},{}]}"#, naming: "empty filter", allowEmpty: true)
        #expect(try read("{}", allowEmpty: true) == BSONDocument())
        #expect(try read(#"{"name":"a"}"#, allowEmpty: true) == ["name": "a"])
    }

    // MARK: values typed by the schema

    @Test func isoStringsOnDateFieldsBecomeDates() throws {
        let iso = "2023-01-01T00:00:00Z"
        #expect(try read(#"{"released":"\#(iso)"}"#) == ["released": Self.date2023])
        #expect(try read(#"{"released":{"$lt":"\#(iso)"}}"#) == ["released": ["$lt": Self.date2023]])
        #expect(try read(#"{"released":{"$gte":"\#(iso)","$ne":"\#(iso)"}}"#)
                == ["released": ["$gte": Self.date2023, "$ne": Self.date2023]])
        #expect(try read(#"{"released":{"$in":["\#(iso)","nope"]}}"#) == ["released": ["$in": [Self.date2023, "nope"]]])
        #expect(try read(#"{"released":{"$not":{"$gt":"\#(iso)"}}}"#) == ["released": ["$not": ["$gt": Self.date2023]]])
        #expect(try read(#"{"dims.made":{"$lte":"\#(iso)"}}"#) == ["dims.made": ["$lte": Self.date2023]])
        // Reserved timestamps are dates whatever the schema says.
        #expect(try read(#"{"updated_at":{"$lt":"\#(iso)"}}"#) == ["updated_at": ["$lt": Self.date2023]])
        #expect(try read(#"{"created_at":{"$gte":"\#(iso)"}}"#) == ["created_at": ["$gte": Self.date2023]])
        #expect(try read(#"{"$or":[{"created_at":"\#(iso)"},{"updated_at":{"$nin":["\#(iso)"]}}]}"#)
                == ["$or": [["created_at": Self.date2023], ["updated_at": ["$nin": [Self.date2023]]]]])
        // Not ISO-8601: left as a string (it then simply matches no date).
        #expect(try read(#"{"released":"yesterday"}"#) == ["released": "yesterday"])
        // Other fields keep their strings; `$regex` on a date field is not converted.
        #expect(try read(#"{"name":"\#(iso)"}"#) == ["name": .string(iso)])
        #expect(try read(#"{"released":{"$regex":"^2023"}}"#) == ["released": ["$regex": "^2023"]])
        // Non-strings are left alone.
        #expect(try read(#"{"released":{"$exists":true}}"#) == ["released": ["$exists": true]])
        #expect(try read(#"{"released":null}"#) == ["released": .null])
    }

    @Test func hexIdsBecomeObjectIds() throws {
        let hex = Self.hex
        #expect(try read(#"{"_id":"\#(hex)"}"#) == ["_id": Self.oid])
        #expect(try read(#"{"_id":{"$in":["\#(hex)","65a1b2c3d4e5f60718293a4c"]}}"#)
                == ["_id": ["$in": [Self.oid, .objectId(ObjectId(hex: "65a1b2c3d4e5f60718293a4c")!)]]])
        #expect(try read(#"{"_id":{"$nin":["\#(hex)"]}}"#) == ["_id": ["$nin": [Self.oid]]])
        #expect(try read(#"{"_id":{"$ne":"\#(hex)"}}"#) == ["_id": ["$ne": Self.oid]])
        #expect(try read(#"{"owner":"\#(hex)"}"#) == ["owner": Self.oid])
        // Not 24 hex digits: the string stays (ids need not be ObjectIds).
        #expect(try read(#"{"_id":"my-id"}"#) == ["_id": "my-id"])
        #expect(try read(#"{"_id":{"$in":["\#(hex)","my-id",7]}}"#) == ["_id": ["$in": [Self.oid, "my-id", 7]]])
        // Other string fields keep 24-hex strings as strings.
        #expect(try read(#"{"name":"\#(hex)"}"#) == ["name": .string(hex)])
    }

    @Test func elemMatchReadsSubFiltersByTheItemSchema() throws {
        let iso = "2023-01-01T00:00:00Z"
        #expect(try read(#"{"lines":{"$elemMatch":{"sku":"A-1","at":{"$gt":"\#(iso)"}}}}"#)
                == ["lines": ["$elemMatch": ["sku": "A-1", "at": ["$gt": Self.date2023]]]])
        #expect(try read(#"{"lines":{"$elemMatch":{"ref":"\#(Self.hex)"}}}"#)
                == ["lines": ["$elemMatch": ["ref": Self.oid]]])
        #expect(try read(#"{"lines":{"$elemMatch":{"$and":[{"at":"\#(iso)"},{"sku":{"$in":["A"]}}]}}}"#)
                == ["lines": ["$elemMatch": ["$and": [["at": Self.date2023], ["sku": ["$in": ["A"]]]]]]])
        // Dotted paths through array items are typed too.
        #expect(try read(#"{"lines.at":{"$lt":"\#(iso)"}}"#) == ["lines.at": ["$lt": Self.date2023]])
        // Operator form on an array of scalars.
        #expect(try read(#"{"tags":{"$elemMatch":{"$gte":"a","$lt":"b"}}}"#)
                == ["tags": ["$elemMatch": ["$gte": "a", "$lt": "b"]]])
        // Nested $elemMatch.
        passesThrough(#"{"lines":{"$elemMatch":{"parts":{"$elemMatch":{"n":{"$gt":1}}}}}}"#)
    }

    // MARK: depth

    /// `{"$and":[{"$and":[ ... {"name":"a"} ... ]}]}` with `levels` `$and`s.
    private func nestedAnd(_ levels: Int) -> BSONDocument {
        var document: BSONDocument = ["name": "a"]
        for _ in 0..<levels { document = ["$and": [.document(document)]] }
        return document
    }

    /// `{"price":{"$not":{"$not":{ ... {"$gt":1} }}}}` with `levels` `$not`s.
    private func nestedNot(_ levels: Int) -> BSONDocument {
        var condition: BSONDocument = ["$gt": 1]
        for _ in 0..<levels { condition = ["$not": .document(condition)] }
        return ["price": .document(condition)]
    }

    /// `{"lines":{"$elemMatch":{"lines":{"$elemMatch": ... {"sku":"a"} }}}}` with `levels` `$elemMatch`es.
    private func nestedElemMatch(_ levels: Int) -> BSONDocument {
        var document: BSONDocument = ["sku": "a"]
        for _ in 0..<levels { document = ["lines": ["$elemMatch": .document(document)]] }
        return document
    }

    @Test func nestingDepthIsLimited() throws {
        #expect(try filter.read(nestedAnd(30), allowEmpty: false) == nestedAnd(30))
        rejects(nestedAnd(ClientFilter.maxDepth + 1), naming: "nested too deeply")
        rejects(nestedAnd(1000), naming: "nested too deeply")
        #expect(try filter.read(nestedNot(20), allowEmpty: false) == nestedNot(20))
        rejects(nestedNot(1000), naming: "nested too deeply")
        #expect(try filter.read(nestedElemMatch(10), allowEmpty: false) == nestedElemMatch(10))
        rejects(nestedElemMatch(1000), naming: "nested too deeply")
    }
}
