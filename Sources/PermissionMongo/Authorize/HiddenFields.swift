import PMBSON

/// Field paths hidden from a caller by `deny_read` (docs/API.md, "Field-level read rules"):
/// `salary` hides the field, `dims.w` only that sub-field, `lines.cost` the `cost` of every
/// item of the array `lines`. Paths never hold array indexes (the configuration refuses them).
///
/// Kept normalised: no path inside another (hiding `dims` already hides `dims.w`), sorted,
/// so that two sets hiding the same fields are equal.
struct HiddenFields: Sendable, Equatable {
    /// Each path as its components.
    private(set) var paths: [[String]]

    static let none = HiddenFields(components: [])

    init(_ dotted: some Sequence<String>) {
        self.init(components: dotted.map(FieldPath.components))
    }

    private init(components: [[String]]) {
        var kept: [[String]] = []
        for path in components.sorted(by: { $0.count < $1.count }) where !kept.contains(where: { FieldPath.isPrefix($0, of: path) }) {
            kept.append(path)
        }
        paths = kept.sorted { $0.lexicographicallyPrecedes($1) }
    }

    var isEmpty: Bool { paths.isEmpty }

    var dotted: [String] { paths.map { $0.joined(separator: ".") } }

    /// Whether the field at `path` is hidden: it is one of the paths, or inside one.
    func covers(_ path: [String]) -> Bool {
        paths.contains { FieldPath.isPrefix($0, of: path) }
    }

    /// What is hidden by both: a path of either that the other also covers. Reading through
    /// two grants shows whatever one of them shows.
    func intersection(_ other: HiddenFields) -> HiddenFields {
        HiddenFields(components: paths.filter(other.covers) + other.paths.filter(covers))
    }

    func union(_ other: HiddenFields) -> HiddenFields {
        HiddenFields(components: paths + other.paths)
    }

    /// The hidden path that a filter or sort on `path` would tell something about: one that
    /// is `path`, contains it or lies inside it (filtering `dims` compares `dims.w` too).
    /// Array indexes in `path` are looked through (`lines.0.cost` is `lines.cost`).
    func revealed(by path: String) -> String? {
        let components = FieldPath.components(path).filter { !FieldPath.isArrayIndex($0) }
        guard let hidden = paths.first(where: { FieldPath.isPrefix($0, of: components) || FieldPath.isPrefix(components, of: $0) })
        else { return nil }
        return hidden.joined(separator: ".")
    }
}

extension HiddenFields {
    /// The hidden paths strictly inside `prefix`, relative to it (`dims.w` inside `dims` is `w`).
    func inside(_ prefix: [String]) -> HiddenFields {
        HiddenFields(components: paths.filter { $0.count > prefix.count && FieldPath.isPrefix(prefix, of: $0) }
            .map { Array($0.dropFirst(prefix.count)) })
    }
}
