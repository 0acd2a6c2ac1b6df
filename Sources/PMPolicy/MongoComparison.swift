import PMBSON

/// MongoDB's value comparison rules, shared by the `when` evaluator and any
/// in-gateway filter matcher: BSON type brackets, numeric comparison across
/// int32/int64/double (decimal128 approximately, through `Double`), binary
/// (UTF-8 byte) string order, and the per-element query predicates `$eq`,
/// `$lt`/`$lte`/`$gt`/`$gte` with MongoDB's null/missing handling.
///
/// A *candidate* is one value reached by a field path (see `MongoFieldPath`);
/// `nil` stands for "missing".
public enum MongoComparison {
    /// The ordering operators of a query.
    public enum Ordering: Sendable {
        case less, lessOrEqual, greater, greaterOrEqual
    }

    /// MongoDB's canonical type rank: values of different ranks never compare
    /// equal and are never ordered by `$lt`/`$gt`.
    public static func typeRank(_ value: BSON) -> Int {
        switch value {
        case .minKey: -1
        case .undefined: 0
        case .null: 5
        case .double, .int32, .int64, .decimal128: 10
        case .string: 15
        case .document: 20
        case .array: 25
        case .binary: 30
        case .objectId: 35
        case .bool: 40
        case .date: 45
        case .timestamp: 47
        case .regex: 50
        case .maxKey: 127
        }
    }

    /// Total order of BSON values as MongoDB sorts them (`BSONElement::woCompare`):
    /// first by type rank, then by value. Negative, zero or positive.
    public static func compare(_ a: BSON, _ b: BSON) -> Int {
        let ra = typeRank(a), rb = typeRank(b)
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return compareBytes(x, y)
        case (.document(let x), .document(let y)):
            return compareDocuments(x, y)
        case (.array(let x), .array(let y)):
            for (l, r) in zip(x, y) {
                let c = compare(l, r)
                if c != 0 { return c }
            }
            return sign(x.count, y.count)
        case (.binary(let sx, let dx), .binary(let sy, let dy)):
            if dx.count != dy.count { return sign(dx.count, dy.count) }
            if sx != sy { return sign(sx, sy) }
            for (l, r) in zip(dx, dy) where l != r { return l < r ? -1 : 1 }
            return 0
        case (.objectId(let x), .objectId(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)):
            return x == y ? 0 : (!x ? -1 : 1)
        case (.date(let x), .date(let y)):
            return sign(x.millisecondsSince1970, y.millisecondsSince1970)
        case (.timestamp(let ix, let sx), .timestamp(let iy, let sy)):
            return sx != sy ? sign(sx, sy) : sign(ix, iy)
        case (.regex(let px, let ox), .regex(let py, let oy)):
            let c = compareBytes(px, py)
            return c != 0 ? c : compareBytes(ox, oy)
        default:
            if ra == 10 { return compareNumbers(a, b) }
            return 0  // minKey, maxKey, null, undefined: one value each
        }
    }

    /// Query equality of two values (`$eq` for a present field, no array expansion):
    /// same type bracket and equal value; numbers by value; NaN equals NaN.
    public static func equal(_ a: BSON, _ b: BSON) -> Bool {
        typeRank(a) == typeRank(b) && compare(a, b) == 0
    }

    // MARK: per-candidate predicates

    /// `{path: {$eq: value}}` for one candidate (array expansion not included):
    /// `null` matches missing and null (not `undefined`, as in MongoDB 8).
    public static func candidateEquals(_ candidate: BSON?, _ value: BSON) -> Bool {
        guard let candidate else { return value == .null }
        if case .null = value { if case .null = candidate { return true } else { return false } }
        return equal(candidate, value)
    }

    /// `{path: {$lt|$lte|$gt|$gte: value}}` for one candidate (array expansion not included).
    public static func candidateOrders(_ candidate: BSON?, _ ordering: Ordering, _ value: BSON) -> Bool {
        guard let candidate else {
            // Missing behaves as null: only `$lte: null` / `$gte: null` match it.
            return value == .null && (ordering == .lessOrEqual || ordering == .greaterOrEqual)
        }
        guard typeRank(candidate) == typeRank(value) else { return false }
        if typeRank(value) == 10 {
            let nanA = isNaN(candidate), nanB = isNaN(value)
            if nanA || nanB {
                return nanA && nanB && (ordering == .lessOrEqual || ordering == .greaterOrEqual)
            }
        }
        let c = compare(candidate, value)
        switch ordering {
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        case .greaterOrEqual: return c >= 0
        }
    }

    /// Applies `predicate` as MongoDB does to a value at the end of a path:
    /// an array matches when one of its elements matches or the array as a whole does.
    @inlinable
    public static func matchesExpandingArray(_ candidate: BSON?, _ predicate: (BSON?) -> Bool) -> Bool {
        if case .array(let elements)? = candidate {
            for element in elements where predicate(element) { return true }
        }
        return predicate(candidate)
    }

    // MARK: numbers

    static func isNaN(_ v: BSON) -> Bool {
        switch v {
        case .double(let d): d.isNaN
        case .decimal128: decimalToDouble(v).isNaN
        default: false
        }
    }

    private enum Number {
        case integer(Int64)
        case double(Double)
    }

    private static func number(_ v: BSON) -> Number {
        switch v {
        case .int32(let i): .integer(Int64(i))
        case .int64(let i): .integer(i)
        case .double(let d): .double(d)
        default: .double(decimalToDouble(v))
        }
    }

    /// Numeric order by value; NaN sorts below every other number and equals NaN.
    static func compareNumbers(_ a: BSON, _ b: BSON) -> Int {
        switch (number(a), number(b)) {
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.integer(let x), .double(let y)): return compareIntDouble(x, y)
        case (.double(let x), .integer(let y)): return -compareIntDouble(y, x)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return x.isNaN ? (y.isNaN ? 0 : -1) : 1 }
            return x < y ? -1 : (x > y ? 1 : 0)
        }
    }

    /// Exact comparison of an Int64 with a Double (no rounding through Double).
    static func compareIntDouble(_ i: Int64, _ d: Double) -> Int {
        if d.isNaN { return 1 }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = d.rounded(.down)
        let w = Int64(whole)
        if i != w { return i < w ? -1 : 1 }
        return whole == d ? 0 : -1  // d has a positive fraction beyond w
    }

    /// Approximates a decimal128 as a Double (rare in this gateway: JSON never produces one).
    static func decimalToDouble(_ v: BSON) -> Double {
        guard case .decimal128(let low, let high) = v else { return .nan }
        let negative = high >> 63 == 1
        let combination = (high >> 58) & 0x1F
        if combination == 0x1F { return .nan }
        if combination == 0x1E { return negative ? -.infinity : .infinity }
        // Coefficients with the "11" prefix would exceed 34 digits: non-canonical, read as zero.
        if (high >> 61) & 0x3 == 0x3 { return negative ? -0.0 : 0.0 }
        let exponent = Int((high >> 49) & 0x3FFF) - 6176
        let coefficientHigh = high & 0x1_FFFF_FFFF_FFFF
        let coefficient = Double(coefficientHigh) * 18_446_744_073_709_551_616.0 + Double(low)
        var result = coefficient
        if exponent > 0 {
            for _ in 0..<min(exponent, 400) { result *= 10 }
        } else if exponent < 0 {
            for _ in 0..<min(-exponent, 400) { result /= 10 }
        }
        return negative ? -result : result
    }

    // MARK: helpers

    @inline(__always)
    static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    /// Binary (UTF-8 byte) order, as MongoDB compares strings without a collation.
    /// Unlike Swift's `==`, canonically equivalent but differently encoded strings differ.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    static func compareDocuments(_ a: BSONDocument, _ b: BSONDocument) -> Int {
        for (l, r) in zip(a.elements, b.elements) {
            let rl = typeRank(l.value), rr = typeRank(r.value)
            if rl != rr { return rl < rr ? -1 : 1 }
            let k = compareBytes(l.key, r.key)
            if k != 0 { return k }
            let c = compare(l.value, r.value)
            if c != 0 { return c }
        }
        return sign(a.count, b.count)
    }
}

/// MongoDB's dotted-path traversal for queries (`{"a.b": ...}`), yielding every
/// value a query predicate is tested against (checked against SecantusDB):
///
/// - A path through a document takes the named field.
/// - A path through an array applies the rest of the path to each element that is a
///   document (other elements are skipped; nested arrays are not entered).
/// - An all-digit component on an array (`a.0`) also selects that position; an index
///   past the end yields *missing*. A value selected by position at the end of the
///   path is tested as is (an array there is not expanded).
/// - A path that runs into a missing field or a scalar yields *missing* (`nil`).
/// - A value reached at the end of the path that is an array is tested element by
///   element, then as a whole (`{tags: "x"}` matches `tags: ["x", "y"]`).
public enum MongoFieldPath {
    /// Calls `body` with each value to test at `path` (`nil` = missing), stopping
    /// as soon as `body` returns true. Returns whether it did.
    public static func anyCandidate(in document: BSONDocument, path: [String], _ body: (BSON?) -> Bool) -> Bool {
        anyCandidate(in: document, path: FieldPath(path), body)
    }

    static func anyCandidate(in document: BSONDocument, path: FieldPath, _ body: (BSON?) -> Bool) -> Bool {
        visit(.document(document), path.components, 0, body)
    }

    private static func leaf(_ value: BSON?, _ body: (BSON?) -> Bool) -> Bool {
        if case .array(let elements)? = value {
            for element in elements where body(element) { return true }
        }
        return body(value)
    }

    private static func visit(_ value: BSON?, _ components: [FieldPath.Component], _ position: Int, _ body: (BSON?) -> Bool) -> Bool {
        if position == components.count { return leaf(value, body) }
        let component = components[position]
        let next = position + 1
        switch value {
        case .document(let d)?:
            return visit(field(d, component.name), components, next, body)
        case .array(let elements)?:
            if let index = component.index {
                if index >= elements.count {
                    if body(nil) { return true }
                } else if next == components.count {
                    if body(elements[index]) { return true }
                } else if visit(elements[index], components, next, body) {
                    return true
                }
            }
            for element in elements {
                if case .document(let d) = element, visit(field(d, component.name), components, next, body) { return true }
            }
            return false
        default:
            return body(nil)
        }
    }

    /// `{path: {$exists: true}}`.
    public static func exists(in document: BSONDocument, path: [String]) -> Bool {
        anyCandidate(in: document, path: FieldPath(path)) { $0 != nil }
    }

    /// `{path: value}` / `{path: {$eq: value}}` with MongoDB semantics.
    public static func matchesEquality(_ document: BSONDocument, path: [String], _ value: BSON) -> Bool {
        anyCandidate(in: document, path: FieldPath(path)) { MongoComparison.candidateEquals($0, value) }
    }

    /// The first field named exactly `name` (byte comparison, as MongoDB's field names).
    static func field(_ document: BSONDocument, _ name: String) -> BSON? {
        for element in document.elements where bsonKeysEqual(element.key, name) { return element.value }
        return nil
    }
}
