import PMBSON

extension VersionDiff {
    /// Undoes `changes` (as written by `changes(from:to:)`) on the state after them,
    /// giving the state before: each field goes back to its `from`, or away when it
    /// had none. Paths are dotted through nested documents.
    static func revert(_ after: BSONDocument, changes: [BSON]) -> BSONDocument {
        var state = after
        for change in changes.reversed() {
            guard case .document(let entry) = change, case .string(let field)? = entry["field"] else { continue }
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            setValue(entry["from"], at: path[...], in: &state)
        }
        return state
    }

    private static func setValue(_ value: BSON?, at path: ArraySlice<String>, in document: inout BSONDocument) {
        guard let key = path.first else { return }
        if path.count == 1 {
            document[key] = value
            return
        }
        var inner: BSONDocument
        if case .document(let existing)? = document[key] {
            inner = existing
        } else if value == nil {
            return
        } else {
            inner = BSONDocument()
        }
        setValue(value, at: path.dropFirst(), in: &inner)
        document[key] = .document(inner)
    }
}
