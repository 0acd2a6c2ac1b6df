/// Dotted field paths as components.
enum FieldPath {
    static func components(_ dotted: String) -> [String] {
        dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func isPrefix(_ prefix: [String], of path: [String]) -> Bool {
        prefix.count <= path.count && zip(prefix, path).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    static func isArrayIndex(_ component: String) -> Bool {
        !component.isEmpty && component.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
