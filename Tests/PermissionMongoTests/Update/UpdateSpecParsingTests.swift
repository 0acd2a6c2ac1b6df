import PMBSON
import Testing
@testable import PermissionMongo

@Suite("UpdateSpec parsing")
struct UpdateSpecParsingTests {
    typealias S = UpdateTestSupport

    @Test func plainMapIsSetOfEachField() throws {
        let spec = try UpdateSpec(["name": "x", "dims.w": 3])
        #expect(spec.changes.map(\.op) == [.set, .set])
        #expect(spec.changes.map(\.path.dotted) == ["dims.w", "name"])  // application order
        #expect(spec.touchedFields == ["name", "dims.w"])  // request order
        #expect(spec.changes[0].path.components == ["dims", "w"])
    }

    @Test func operatorsAreParsed() throws {
        let spec = try UpdateSpec([
            "$set": ["a": 1], "$unset": ["b": ""], "$inc": ["c": 1], "$mul": ["d": 2.0], "$min": ["e": 1],
            "$max": ["f": 1], "$push": ["g": 1], "$pull": ["h": 1], "$addToSet": ["i": 1],
        ])
        #expect(spec.touchedFields == ["a", "b", "c", "d", "e", "f", "g", "h", "i"])
        #expect(spec.changes.map(\.op) == [.set, .unset, .inc, .mul, .min, .max, .push, .pull, .addToSet])
    }

    @Test func emptyUpdateIsRefused() {
        let error = S.rejection([:])
        #expect(error?.message == "update must not be empty")
        #expect(error?.kind == .invalidUpdate)
    }

    @Test func mixingOperatorsAndFieldsIsRefused() {
        #expect(S.rejection(["$set": ["a": 1], "name": "x"])?.message
            == "update mixes operators ($set) with field names (name): put fields under $set")
        #expect(S.rejection(["name": "x", "$inc": ["a": 1]])?.message
            == "update mixes operators ($inc) with field names (name): put fields under $set")
    }

    @Test(arguments: ["$rename", "$setOnInsert", "$currentDate", "$bit", "$where", "$pop", "$pullAll", "$", "$SET"])
    func forbiddenOperatorsAreRefused(_ name: String) {
        let error = S.rejection(BSONDocument(elements: [.init(key: name, value: ["a": "b"])]))
        #expect(error?.message
            == "update operator \(name) is not allowed (allowed: $set, $unset, $inc, $mul, $min, $max, $push, $pull, $addToSet)")
        #expect(error?.field == name)
        #expect(error?.kind == .invalidUpdate)
    }

    @Test func operatorArgumentMustBeANonEmptyDocument() {
        #expect(S.rejection(["$set": 5])?.message == "$set takes an object of fields, not a number")
        #expect(S.rejection(["$unset": ["a"]])?.message == "$unset takes an object of fields, not an array")
        #expect(S.rejection(["$inc": "a"])?.message == "$inc takes an object of fields, not a string")
        #expect(S.rejection(["$push": .null])?.message == "$push takes an object of fields, not null")
        #expect(S.rejection(["$set": [:]])?.message == "$set must name at least one field")
    }

    @Test func operatorGivenTwiceIsRefused() {
        let update = S.duplicated([("$set", ["a": 1]), ("$set", ["b": 1])])
        #expect(S.rejection(update)?.message == "update operator $set is given twice")
    }

    @Test func samePathTwiceIsRefused() {
        #expect(S.rejection(["$set": ["price": 1], "$inc": ["price": 2]])?.message
            == "price is updated twice ($set and $inc)")
        #expect(S.rejection(S.duplicated([("price", 1), ("price", 2)]))?.message == "price is updated twice ($set)")
        #expect(S.rejection(["$set": ["dims.w": 1], "$unset": ["dims.w": ""]])?.message
            == "dims.w is updated twice ($set and $unset)")
    }

    @Test func conflictingPathsAreRefused() {
        #expect(S.rejection(["$set": ["dims": ["w": 1]], "$unset": ["dims.w": ""]])?.message
            == "dims ($set) and dims.w ($unset) conflict: one contains the other")
        #expect(S.rejection(["a.b.c": 1, "a.b": 2])?.message
            == "a.b ($set) and a.b.c ($set) conflict: one contains the other")
        #expect(S.rejection(["$push": ["tags": "x"], "$set": ["tags.0": "y"]])?.message
            == "tags ($push) and tags.0 ($set) conflict: one contains the other")
        // Siblings and look-alike prefixes do not conflict.
        #expect(S.rejection(["a.b": 1, "a.c": 2, "ab": 3, "a.bc": 4]) == nil)
    }

    @Test func badFieldPathsAreRefused() {
        #expect(S.rejection(["$set": ["": 1]])?.message == "empty field name in $set")
        #expect(S.rejection(["": 1])?.message == "empty field name")
        #expect(S.rejection(["$set": ["a..b": 1]])?.message == "field path \"a..b\" in $set has an empty component")
        #expect(S.rejection(["a.": 1])?.message == "field path \"a.\" has an empty component")
        #expect(S.rejection(["$set": [".a": 1]])?.message == "field path \".a\" in $set has an empty component")
        #expect(S.rejection(["$set": ["tags.$": 1]])?.message
            == "field path \"tags.$\" in $set: \"$\" is not allowed (no $ operators or positional paths)")
        #expect(S.rejection(["$unset": ["tags.$[].x": 1]])?.message
            == "field path \"tags.$[].x\" in $unset: \"$[]\" is not allowed (no $ operators or positional paths)")
        #expect(S.rejection(["a.$inc": 1])?.message
            == "field path \"a.$inc\": \"$inc\" is not allowed (no $ operators or positional paths)")
        #expect(S.rejection(["$set": ["a\u{0}b": 1]])?.message == "field path \"a\u{0}b\" in $set contains a NUL character")
        let deep = Array(repeating: "a", count: 65).joined(separator: ".")
        #expect(S.rejection(["$set": .document(BSONDocument(elements: [.init(key: deep, value: 1)]))])?.message
            == "field path \"\(deep)\" in $set is nested too deeply")
    }

    @Test func theProtectedFieldsAreTheServersSix() {
        #expect(UpdateSpec.protectedFields == [
            "_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_by",
        ])
    }

    @Test(arguments: ["_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_by"])
    func protectedFieldsCannotBeUpdated(_ field: String) {
        for update: BSONDocument in [
            .init(elements: [.init(key: field, value: "x")]),
            ["$set": .document(.init(elements: [.init(key: field + ".sub", value: 1)]))],
            ["$unset": .document(.init(elements: [.init(key: field, value: "")]))],
            ["$inc": ["n": 1], "$push": .document(.init(elements: [.init(key: field, value: 1)]))],
        ] {
            let error = S.rejection(update)
            #expect(error?.message == "\(field) cannot be updated")
            #expect(error?.kind == .protectedField)
            #expect(error?.field == field)
        }
    }

    @Test func lookAlikesOfProtectedFieldsAreAllowed() {
        #expect(S.rejection(["tenant_idx": 1, "dims._id": 2, "meta.created_by": 3, "id": 4, "deleted_atx": 5]) == nil)
    }

    @Test func incAndMulNeedNumbers() {
        #expect(S.rejection(["$inc": ["price": "1"]])?.message == "$inc on price needs a number, not a string")
        #expect(S.rejection(["$mul": ["dims.w": .null]])?.message == "$mul on dims.w needs a number, not null")
        #expect(S.rejection(["$inc": ["n": .decimal128(low: 1, high: 0x3040_0000_0000_0000)]])?.message
            == "$inc on n needs a number, not a decimal128")
        #expect(S.rejection(["$inc": ["a": 1, "b": .int64(2), "c": 0.5]]) == nil)
    }

    @Test func unsafeFieldNamesInValuesAreRefused() {
        #expect(S.rejection(["meta": ["$gt": 1]])?.message == "field name \"$gt\" is not allowed (in the value of meta)")
        #expect(S.rejection(["$set": ["meta": ["a": [["b.c": 1]]]]])?.message
            == "field name \"b.c\" is not allowed (in the value of meta)")
        #expect(S.rejection(["$push": ["lines": ["": 1]]])?.message
            == "field name \"\" is not allowed (in the value of lines)")
        #expect(S.rejection(["$max": ["m": ["x\u{0}": 1]]])?.message
            == "field name \"x\u{0}\" is not allowed (in the value of m)")
    }

    @Test func pushAndAddToSetModifiers() {
        #expect(S.rejection(["$push": ["tags": ["$each": ["a"], "$slice": 2]]])?.message
            == "$push modifier $slice on tags is not supported (only $each)")
        #expect(S.rejection(["$push": ["tags": ["$position": 0, "$each": ["a"]]]])?.message
            == "$push modifier $position on tags is not supported (only $each)")
        #expect(S.rejection(["$addToSet": ["tags": ["$each": ["a"], "$sort": 1]]])?.message
            == "$addToSet modifier $sort on tags is not supported (only $each)")
        #expect(S.rejection(["$push": ["tags": ["$each": "a"]]])?.message == "$push $each on tags needs one array")
        #expect(S.rejection(["$addToSet": ["tags": ["$each": ["a"], "x": 1]]])?.message
            == "$addToSet on tags mixes $each with field x")
    }

    @Test func pullConditionsAreChecked() {
        #expect(S.rejection(["$pull": ["tags": ["$regex": "^a"]]])?.message
            == "$pull on tags: condition operator $regex is not supported (allowed: $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists)")
        #expect(S.rejection(["$pull": ["lines": ["qty": ["$elemMatch": ["a": 1]]]]])?.message
            == "$pull on lines: condition operator $elemMatch is not supported (allowed: $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists)")
        #expect(S.rejection(["$pull": ["tags": ["$gte": 1, "x": 2]]])?.message == "$pull on tags mixes operators with field names")
        #expect(S.rejection(["$pull": ["lines": ["qty": ["$gt": 1, "x": 2]]]])?.message
            == "$pull on lines: a condition mixes operators with field names")
        #expect(S.rejection(["$pull": ["tags": ["$in": 1]]])?.message == "$pull on tags: $in needs an array")
        #expect(S.rejection(["$pull": ["tags": ["$exists": "yes"]]])?.message == "$pull on tags: $exists needs true or false")
        #expect(S.rejection(["$pull": ["lines": ["a..b": 1]]])?.message
            == "$pull on lines: condition field \"a..b\" is not a valid field path")
    }

    // MARK: touches

    @Test func touchesHandlesPrefixesBothWays() throws {
        let price = try UpdateSpec(["$set": ["price": 1]])
        #expect(price.touches("price"))
        #expect(price.touches("price.x"))  // setting the parent replaces the child
        #expect(!price.touches("pricey"))
        #expect(!price.touches("name"))
        #expect(!price.touches("pric"))

        let child = try UpdateSpec(["$inc": ["price.amount": 1]])
        #expect(child.touches("price"))
        #expect(child.touches("price.amount"))
        #expect(!child.touches("price.currency"))
        #expect(!child.touches("price.amountx"))

        let parent = try UpdateSpec(["dims": ["w": 1]])
        #expect(parent.touches("dims.w"))
        #expect(parent.touches("dims.h"))  // the whole object is replaced
    }

    @Test func touchesCountsEveryOperatorIncludingUnsetAndPull() throws {
        let spec = try UpdateSpec(["$unset": ["secret": ""], "$pull": ["tags": "x"], "$min": ["low": 1]])
        #expect(spec.touches("secret"))
        #expect(spec.touches("tags"))
        #expect(spec.touches("low"))
        #expect(!spec.touches("high"))
        #expect(spec.firstTouched(of: ["high", "tags", "secret"]) == "tags")
        #expect(spec.firstTouched(of: ["high"]) == nil)
    }

    @Test func touchesLooksThroughArrayIndexes() throws {
        let spec = try UpdateSpec(["$set": ["lines.0.price": 1]])
        #expect(spec.touches("lines.price"))
        #expect(spec.touches("lines"))
        #expect(spec.touches("lines.0.price"))
        #expect(!spec.touches("lines.sku"))
        #expect(spec.touches("lines.1.price"))  // indexes are looked through: errs on "touches"
        let element = try UpdateSpec(["$set": ["lines.0": ["sku": "a"]]])
        #expect(element.touches("lines.price"))
    }
}
