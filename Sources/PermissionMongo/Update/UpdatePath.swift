import PMBSON
import PMSchema

/// A checked dotted field path of an update (`dims.w`, `tags.0`).
public struct UpdatePath: Sendable, Hashable, CustomStringConvertible {
    /// The path as the client wrote it.
    public let dotted: String
    public let components: [String]

    /// The most components a path may have (the JSON reader refuses nesting deeper than 64).
    static let maxComponents = 64

    /// Checks `dotted`: no empty component, none starting with `$` (no positional
    /// operators), no NUL, at most `maxComponents` components.
    init(_ dotted: String, operatorName: String?) throws {
        let where_ = operatorName.map { " in \($0)" } ?? ""
        guard !dotted.isEmpty else { throw UpdateError.invalid("empty field name\(where_)", field: dotted) }
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty {
                throw UpdateError.invalid("field path \"\(dotted)\"\(where_) has an empty component", field: dotted)
            }
            if part.utf8.first == UInt8(ascii: "$") {
                throw UpdateError.invalid(
                    "field path \"\(dotted)\"\(where_): \"\(part)\" is not allowed (no $ operators or positional paths)",
                    field: dotted)
            }
            if part.utf8.contains(0) {
                throw UpdateError.invalid("field path \"\(dotted)\"\(where_) contains a NUL character", field: dotted)
            }
        }
        guard parts.count <= Self.maxComponents else {
            throw UpdateError.invalid("field path \"\(dotted)\"\(where_) is nested too deeply", field: dotted)
        }
        self.dotted = dotted
        self.components = parts
    }

    public var description: String { dotted }
    public var first: String { components[0] }

    /// Whether `self` equals `other` or is one of its ancestors (component-wise).
    func isPrefix(of other: UpdatePath) -> Bool {
        components.count <= other.components.count
            && zip(components, other.components).allSatisfy { UpdatePath.same($0, $1) }
    }

    /// The dotted form of the first `count` components.
    func prefix(_ count: Int) -> String { components.prefix(count).joined(separator: ".") }

    /// Field names match byte for byte, as in MongoDB.
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// The order MongoDB (5.0+) applies update paths in: component by component,
    /// numeric names in numeric order (before other names), other names in byte order.
    static func precedes(_ a: UpdatePath, _ b: UpdatePath) -> Bool {
        for (x, y) in zip(a.components, b.components) {
            let c = compareComponents(x, y)
            if c != 0 { return c < 0 }
        }
        return a.components.count < b.components.count
    }

    private static func compareComponents(_ x: String, _ y: String) -> Int {
        let dx = isAllDigits(x), dy = isAllDigits(y)
        if dx != dy { return dx ? -1 : 1 }
        if dx {
            // Strip leading zeros for the numeric comparison, then break ties by the text.
            let sx = x.utf8.drop { $0 == UInt8(ascii: "0") }, sy = y.utf8.drop { $0 == UInt8(ascii: "0") }
            if sx.count != sy.count { return sx.count < sy.count ? -1 : 1 }
            let c = compareBytes(sx, sy)
            if c != 0 { return c }
        }
        return compareBytes(x.utf8, y.utf8)
    }

    private static func compareBytes(_ x: some Sequence<UInt8>, _ y: some Sequence<UInt8>) -> Int {
        var i = x.makeIterator(), j = y.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
            }
        }
    }

    static func isAllDigits(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// An array index as MongoDB reads one in an update path (see `BSONDocument.arrayIndex`).
    static func arrayIndex(_ component: String) -> Int? {
        BSONDocument.arrayIndex(component)
    }
}

extension CollectionSchema {
    /// `value` for the field at an update path, read as create reads it (a numeric
    /// component selects an array's items: `lines.0.at`); unchanged where nothing is declared.
    func typed(_ value: BSON, at path: UpdatePath) -> BSON {
        field(at: path.components, arrays: .byIndex)?.typed(value) ?? value
    }

    /// The declared items of the array field at `path`.
    func items(ofArrayAt path: UpdatePath) -> FieldSchema? {
        guard let field = field(at: path.components, arrays: .byIndex), field.type == .array else { return nil }
        return field.items
    }
}
