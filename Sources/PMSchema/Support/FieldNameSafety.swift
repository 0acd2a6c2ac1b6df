import PMBSON

/// Field names MongoDB would misread: empty, starting with `$`, containing `.` or NUL.
package enum FieldNameSafety {
    package static func isSafe(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { isSafe(UnsafeRawBufferPointer($0)) }
    }

    /// The same on a name's UTF-8 bytes.
    @inline(__always)
    package static func isSafe(_ name: UnsafeRawBufferPointer) -> Bool {
        guard let first = name.first, first != UInt8(ascii: "$") else { return false }
        for byte in name where byte == UInt8(ascii: ".") || byte == 0 { return false }
        return true
    }

    /// The first unsafe key anywhere in `document` (depth first, in document order).
    static func firstViolation(in document: BSONDocument) -> SchemaViolation? {
        guard let found = firstUnsafe(in: document) else { return nil }
        // `steps` was collected innermost first, without allocating on the happy path.
        var parent = ""
        for step in found.steps.reversed() {
            switch step {
            case .key(let key): parent = SchemaPath.child(parent, key)
            case .index(let index): parent = SchemaPath.item(parent, index)
            }
        }
        let location = parent.isEmpty ? "" : " (in \(parent))"
        return SchemaViolation(
            path: SchemaPath.child(parent, found.name),
            message: "field name \"\(found.name)\" is not allowed\(location)")
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    private static func firstUnsafe(in document: BSONDocument) -> (name: String, steps: [Step])? {
        for element in document.elements {
            if !isSafe(element.key) { return (element.key, []) }
            if var found = firstUnsafe(in: element.value) {
                found.steps.append(.key(element.key))
                return found
            }
        }
        return nil
    }

    private static func firstUnsafe(in value: BSON) -> (name: String, steps: [Step])? {
        switch value {
        case .document(let nested):
            return firstUnsafe(in: nested)
        case .array(let items):
            for (index, item) in items.enumerated() {
                if var found = firstUnsafe(in: item) {
                    found.steps.append(.index(index))
                    return found
                }
            }
            return nil
        default:
            return nil
        }
    }
}
