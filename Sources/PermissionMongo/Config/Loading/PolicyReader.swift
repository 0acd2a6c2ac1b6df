import PMConfigFiles
import PMPolicy
import PMSchema
import Yams

/// `policies.<collection>:` → `CollectionPolicy`, with `when` parsed and `inherits` checked.
enum PolicyReader {
    static let keys = ["actions", "when", "inherits", "deny_write", "deny_read"]

    /// `schema` is the collection's, against which `deny_read` paths are checked.
    static func read(_ entry: ConfigSections.Entry, schema: CollectionSchema) -> CollectionPolicy {
        var roles: [String: RolePolicy] = [:]
        var inheritsNodes: [String: ConfigNode] = [:]
        let entries = entry.value.isNull ? [] : entry.value.entries() ?? []
        for role in entries {
            if role.name.isEmpty { role.value.report("role name must not be empty", line: role.keyLine); continue }
            var policy = RolePolicy(actions: [])
            let settings = role.value.isNull ? [] : role.value.entries(allowed: keys) ?? []
            for setting in settings {
                let node = setting.value
                switch setting.name {
                case "actions": policy.actions = readActions(node)
                case "when": policy.when = readWhen(node, policy: "\(entry.name).\(role.name)")
                case "inherits":
                    policy.inherits = node.stringList() ?? []
                    inheritsNodes[role.name] = node
                case "deny_read": policy.denyRead = DenyReadReader.read(node, schema: schema)
                default: policy.denyWrite = node.stringList() ?? []
                }
            }
            roles[role.name] = policy
        }
        for problem in RoleInheritance.problems(in: roles) {
            switch problem {
            case .unknownRole(let role, let missing):
                inheritsNodes[role]?.report("inherits unknown role \"\(missing)\"")
            case .cycle(let cycle):
                inheritsNodes[cycle[0]]?.report("inheritance cycle: \(cycle.joined(separator: " -> "))")
            }
        }
        return CollectionPolicy(collection: entry.name, roles: roles)
    }

    private static func readActions(_ node: ConfigNode) -> Set<Action> {
        guard let names = node.stringList() else { return [] }
        var actions: Set<Action> = []
        for name in names {
            if let action = Action(rawValue: name) {
                actions.insert(action)
            } else {
                node.report("unknown action \"\(name)\" (expected \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        return actions
    }

    /// Reports a syntax error at its place in the file (`file:line:column`), naming the
    /// policy and the position inside the expression.
    private static func readWhen(_ node: ConfigNode, policy: String) -> PolicyExpression? {
        guard let source = node.nonEmptyString() else { return nil }
        do {
            return try PolicyExpression.parse(source)
        } catch {
            var fileLine = node.line
            var fileColumn: Int?
            if case .scalar(let scalar) = node.node, let line = fileLine {
                switch scalar.style {
                case .literal, .folded:
                    // Block scalars start on the line after the key; columns are not kept.
                    fileLine = line + error.line
                case .plain, .singleQuoted, .doubleQuoted:
                    fileLine = line + error.line - 1
                    if error.line == 1, let start = node.node.mark?.column {
                        fileColumn = start + error.column - (scalar.style == .plain ? 1 : 0)
                    }
                default:
                    fileLine = line + error.line - 1
                }
            }
            node.report(
                "\(error.message) (policy \(policy), expression \(error.line):\(error.column))",
                line: fileLine, column: fileColumn)
            return nil
        }
    }
}
