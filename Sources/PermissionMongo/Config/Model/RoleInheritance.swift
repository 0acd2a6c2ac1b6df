/// Resolving `inherits:` between the roles of one collection.
public enum RoleInheritance {
    /// A role reachable from another, with the `deny_write` and `deny_read` fields
    /// collected on the way.
    public struct Reached: Sendable, Equatable {
        public var role: String
        public var denyWrite: [String]
        public var denyRead: [String] = []
    }

    public enum Problem: Sendable, Equatable {
        /// `role` inherits `missing`, which is not a role of the collection.
        case unknownRole(role: String, missing: String)
        /// `cycle` starts and ends with the same role, e.g. `[a, b, a]`.
        case cycle([String])
    }

    /// `role` itself, then every role it inherits (depth first, each once).
    public static func expand(_ role: String, in roles: [String: RolePolicy]) -> [Reached] {
        var result: [Reached] = []
        var seen: Set<String> = []
        func visit(_ name: String, inheritedDeny: Set<String>, inheritedHidden: Set<String>) {
            guard let policy = roles[name], seen.insert(name).inserted else { return }
            let deny = inheritedDeny.union(policy.denyWrite)
            let hidden = inheritedHidden.union(policy.denyRead)
            result.append(Reached(role: name, denyWrite: deny.sorted(), denyRead: hidden.sorted()))
            for parent in policy.inherits { visit(parent, inheritedDeny: deny, inheritedHidden: hidden) }
        }
        visit(role, inheritedDeny: [], inheritedHidden: [])
        return result
    }

    /// Unknown inherited roles and cycles, each cycle reported once, in sorted role order.
    public static func problems(in roles: [String: RolePolicy]) -> [Problem] {
        var problems: [Problem] = []
        for name in roles.keys.sorted() {
            for parent in roles[name]!.inherits where roles[parent] == nil {
                problems.append(.unknownRole(role: name, missing: parent))
            }
        }
        var done: Set<String> = []
        var reportedCycles: Set<Set<String>> = []
        func visit(_ name: String, path: [String]) {
            if let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...]) + [name]
                if reportedCycles.insert(Set(cycle)).inserted { problems.append(.cycle(cycle)) }
                return
            }
            guard let policy = roles[name], !done.contains(name) else { return }
            for parent in policy.inherits { visit(parent, path: path + [name]) }
            done.insert(name)
        }
        for name in roles.keys.sorted() { visit(name, path: []) }
        return problems
    }
}
