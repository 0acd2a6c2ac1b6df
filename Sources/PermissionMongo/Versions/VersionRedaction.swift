import PMBSON

/// Versions as the caller may see them (docs/API.md, "Field-level read rules"): `_pm_versions`
/// keeps whole states, the versions route hides what `deny_read` hides.
///
/// One hidden set for a document's whole history: what is hidden from its current state
/// and from any of its saved states (each rebuilt as a restore would), so a field hidden
/// now is not shown by an older version, nor one hidden from an older state by a newer one.
/// In `full` versions the fields are removed from `data`; in `diff` versions a change of a
/// hidden field is left out, and a change of a parent loses the hidden part of its values.
extension ReadVisibility {
    func redacted(versions: [BSONDocument], current: BSONDocument?) -> [BSONDocument] {
        guard !hidesNothing else { return versions }
        let hidden = hiddenInHistory(versions, current: current)
        guard !hidden.isEmpty else { return versions }
        return versions.map { Self.redacted(version: $0, hidden: hidden) }
    }

    private func hiddenInHistory(_ versions: [BSONDocument], current: BSONDocument?) -> HiddenFields {
        var hidden = current.map { self.hidden(in: $0) } ?? .none
        var state = current
        for version in versions {
            if case .document(let data)? = version["data"] {
                state = data
            } else if case .array(let changes)? = version["changes"], let after = state {
                state = VersionDiff.revert(after, changes: changes)
            } else {
                return refused
            }
            if let state { hidden = hidden.union(self.hidden(in: state)) }
        }
        return hidden
    }

    private static func redacted(version: BSONDocument, hidden: HiddenFields) -> BSONDocument {
        var version = version
        if case .document(var data)? = version["data"] {
            hidden.remove(from: &data)
            version["data"] = .document(data)
        }
        if case .array(let changes)? = version["changes"] {
            version["changes"] = .array(changes.compactMap { redacted(change: $0, hidden: hidden) })
        }
        return version
    }

    /// `nil` when the change is of a hidden field (or inside one).
    private static func redacted(change: BSON, hidden: HiddenFields) -> BSON? {
        guard case .document(var entry) = change, case .string(let field)? = entry["field"] else { return change }
        let path = FieldPath.components(field)
        if hidden.covers(path) { return nil }
        let inner = hidden.inside(path)
        guard !inner.isEmpty else { return change }
        for key in ["from", "to"] {
            if var value = entry[key] {
                inner.remove(from: &value)
                entry[key] = value
            }
        }
        return .document(entry)
    }
}
