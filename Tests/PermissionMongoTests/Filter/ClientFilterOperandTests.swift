import PMBSON
import PMTestKit
import Testing
@testable import PermissionMongo

/// Operands checked before a filter reaches the backend (docs/API.md, "Filters"): `$regex`
/// and `$options`, `$size`, `$`-keys inside values. Each refusal is 400 `bad_request`
/// naming the operator and the field.
@Suite struct ClientFilterOperandTests {
    let filter: ClientFilter

    init() throws {
        filter = ClientFilter(
            schema: try compileTestSchema("name: { type: string }\ntags: { type: array, items: { type: string } }"),
            maxRegexLength: 20)
    }

    private func passes(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let input = try JSONReader.parseDocument(json)
            #expect(try filter.read(input, allowEmpty: false) == input, "\(json)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(json) was rejected: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// 400 `bad_request` whose message contains each of `naming`.
    private func rejects(_ json: String, naming: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let output = try filter.read(try JSONReader.parseDocument(json), allowEmpty: false)
            Issue.record("\(json) was accepted as \(output)", sourceLocation: sourceLocation)
        } catch let error as DomainError {
            let gatewayError = GatewayError(error)
            #expect(gatewayError.status.code == 400, "\(json)", sourceLocation: sourceLocation)
            #expect(gatewayError.code == "bad_request", "\(json)", sourceLocation: sourceLocation)
            for text in naming {
                #expect(gatewayError.message.contains(text), "\(json): \"\(gatewayError.message)\" should name \(text)",
                        sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("\(json): unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func validRegexFiltersPass() {
        for pattern in ["^abc", "a.*b", "[a-z]+", #"\\d{3}"#, "(ab)+"] {
            passes(#"{"name":{"$regex":"\#(pattern)"}}"#)
        }
        passes(#"{"name":{"$regex":"^abc","$options":"i"}}"#)
        passes(#"{"name":{"$options":"imsx","$regex":"a b # comment"}}"#)
        passes(#"{"name":{"$not":{"$regex":"^a","$options":"m"}}}"#)
        passes(#"{"tags":{"$elemMatch":{"$regex":"^a"}}}"#)
        passes(#"{"name":{"$regex":"12345678901234567890"}}"#)
    }

    @Test func badPatternsAreRefusedNamingOperatorAndField() {
        rejects(#"{"name":{"$regex":"("}}"#, naming: "$regex", "name", "unbalanced (")
        rejects(#"{"name":{"$regex":"["}}"#, naming: "$regex", "name", "unbalanced [")
        rejects(#"{"name":{"$regex":"a{99999999999}"}}"#, naming: "$regex", "name", "over 1000")
        rejects(#"{"name":{"$regex":"\\p{L}"}}"#, naming: "$regex", "name", "Unicode properties")
        rejects(#"{"name":{"$regex":"abc\\"}}"#, naming: "$regex", "name", "at the end")
        rejects(#"{"name":{"$regex":"^(a+)+$"}}"#, naming: "$regex", "name", "nested quantifier")
        rejects(#"{"name":{"$not":{"$regex":"("}}}"#, naming: "$regex", "name")
        rejects(#"{"tags":{"$elemMatch":{"$regex":"["}}}"#, naming: "$regex", "tags")
        rejects(#"{"$or":[{"name":{"$regex":"("}}]}"#, naming: "$regex", "name")
        rejects(#"{"name":{"$regex":1}}"#, naming: "$regex", "name", "takes a string")
    }

    @Test func patternsLongerThanTheLimitAreRefused() {
        rejects(#"{"name":{"$regex":"123456789012345678901"}}"#, naming: "$regex", "name", "21 characters",
                "server.max_regex_length is 20")
    }

    @Test func optionsAreImsxOnceAndOnlyBesideRegex() {
        rejects(#"{"name":{"$regex":"a","$options":"g"}}"#, naming: "$options", "name", "\"g\"")
        rejects(#"{"name":{"$regex":"a","$options":"u"}}"#, naming: "$options", "name", "\"u\"")
        rejects(#"{"name":{"$regex":"a","$options":"ii"}}"#, naming: "$options", "name", "twice")
        rejects(#"{"name":{"$options":"i"}}"#, naming: "$options", "name", "beside $regex")
        rejects(#"{"name":{"$eq":"a","$options":"i"}}"#, naming: "$options", "name", "beside $regex")
        rejects(#"{"name":{"$not":{"$options":"i"}}}"#, naming: "$options", "name")
        rejects(#"{"name":{"$regex":"a","$options":["i"]}}"#, naming: "$options", "takes a string")
        // With `x`, whitespace does not count: `( *)` repeats nothing.
        rejects(#"{"name":{"$regex":"(?: *)","$options":"x"}}"#, naming: "$regex", "follows nothing")
    }

    @Test func sizeIsANonNegativeInteger() {
        passes(#"{"tags":{"$size":0}}"#)
        passes(#"{"tags":{"$size":3}}"#)
        passes(#"{"tags":{"$size":2.0}}"#)
        rejects(#"{"tags":{"$size":-1}}"#, naming: "$size", "tags", "non-negative integer")
        rejects(#"{"tags":{"$size":1.5}}"#, naming: "$size", "tags")
        rejects(#"{"tags":{"$size":1e300}}"#, naming: "$size", "tags")
        rejects(#"{"tags":{"$size":"2"}}"#, naming: "$size", "tags")
    }

    @Test func operatorDocumentsInsideValuesAreRefused() {
        rejects(#"{"name":{"$eq":{"$where":"1"}}}"#, naming: "$where", "name")
        rejects(#"{"name":{"$ne":{"$gt":1}}}"#, naming: "$gt", "name")
        rejects(#"{"name":{"$gt":{"a":{"$where":"1"}}}}"#, naming: "$where", "name")
        rejects(#"{"name":{"$in":[{"a":{"$gt":1}}]}}"#, naming: "$gt", "name")
        rejects(#"{"name":{"$nin":[["x",{"$where":"1"}]]}}"#, naming: "$where", "name")
        rejects(#"{"tags":{"$all":[{"b":{"$where":"1"}}]}}"#, naming: "$where", "tags")
        rejects(#"{"a":{"x":{"$gt":1}}}"#, naming: "$gt", "a")
        rejects(#"{"a":{"x":{"y":[{"$where":"1"}]}}}"#, naming: "$where", "a")
        rejects(#"{"a":[{"$where":"1"}]}"#, naming: "$where", "a")
        rejects(#"{"name":{"$exists":{"$where":"1"}}}"#, naming: "$where", "name")
        rejects(#"{"$and":[{"a":{"x":{"$ne":1}}}]}"#, naming: "$ne", "a")
        // Plain documents and arrays are values.
        passes(#"{"a":{"x":{"y":1}}}"#)
        passes(#"{"a":{"$eq":{"x":[1,{"y":2}]}}}"#)
        passes(#"{"a":{"$in":[{"x":1},[1,2]]}}"#)
    }
}
