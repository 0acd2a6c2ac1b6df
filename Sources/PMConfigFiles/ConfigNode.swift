import Yams

/// A YAML node with where it came from (file, line, dotted key path) and typed
/// readers that report a problem and return `nil` when the value does not fit.
package struct ConfigNode {
    package let node: Node
    package let file: String
    package let key: String
    package let problems: ProblemList

    package var line: Int? { node.mark?.line }

    /// The resolved YAML tag (`str`, `int`, `float`, `bool`, `null`, …).
    package var tagName: Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    package func report(_ message: String, line: Int? = nil, column: Int? = nil) {
        problems.add(file: file, line: line ?? self.line, column: column, key: key, message)
    }

    package func child(_ name: String, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, file: file, key: key.isEmpty ? name : key + "." + name, problems: problems)
    }

    package func item(_ index: Int, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, file: file, key: key + "[\(index)]", problems: problems)
    }

    /// A mapping's entries in file order. Keys outside `allowed` (when given) are reported as unknown.
    package func entries(allowed: [String]? = nil) -> [(name: String, value: ConfigNode, keyLine: Int?)]? {
        guard case .mapping(let mapping) = node else {
            report("must be a mapping")
            return nil
        }
        var result: [(name: String, value: ConfigNode, keyLine: Int?)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report("keys must be plain names", line: keyNode.mark?.line)
                continue
            }
            let name = scalar.string
            if let allowed, !allowed.contains(name) {
                child(name, valueNode).reportUnknownKey(expected: allowed, line: keyNode.mark?.line)
                continue
            }
            result.append((name, child(name, valueNode), keyNode.mark?.line))
        }
        return result
    }

    package func reportUnknownKey(expected: [String], line: Int?) {
        report("unknown key (expected one of: \(expected.joined(separator: ", ")))", line: line)
    }

    package var isNull: Bool {
        if case .scalar = node, tagName == .null { return true }
        return false
    }

    /// A string scalar (a quoted or plain value YAML does not read as a number, boolean or null).
    package func string() -> String? {
        guard case .scalar(let scalar) = node, tagName == .str || tagName == .timestamp else {
            report("must be a string")
            return nil
        }
        return scalar.string
    }

    package func nonEmptyString() -> String? {
        guard let value = string() else { return nil }
        if value.isEmpty { report("must not be empty"); return nil }
        return value
    }

    package func int() -> Int? {
        guard case .scalar = node, tagName == .int, let value = node.int else {
            report("must be an integer")
            return nil
        }
        return value
    }

    package func int(atLeast minimum: Int) -> Int? {
        guard let value = int() else { return nil }
        if value < minimum { report("must be at least \(minimum)"); return nil }
        return value
    }

    /// A finite number (integer or decimal).
    package func number() -> Double? {
        guard case .scalar = node else { report("must be a number"); return nil }
        let value: Double?
        switch tagName {
        case .int: value = node.int.map(Double.init) ?? node.float
        case .float: value = node.float
        default: value = nil
        }
        guard let value, value.isFinite else {
            report("must be a number")
            return nil
        }
        return value
    }

    package func bool() -> Bool? {
        guard case .scalar = node, tagName == .bool, let value = node.bool else {
            report("must be true or false")
            return nil
        }
        return value
    }

    /// A sequence of strings (a single string is not accepted).
    package func stringList() -> [String]? {
        guard case .sequence(let sequence) = node else {
            report("must be a list of strings")
            return nil
        }
        var result: [String] = []
        var ok = true
        for (index, element) in sequence.enumerated() {
            if let value = item(index, element).nonEmptyString() { result.append(value) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// One of the raw values of `T`.
    package func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> T? where T.RawValue == String {
        guard let raw = string() else { return nil }
        guard let value = T(rawValue: raw) else {
            report("must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(raw)\")")
            return nil
        }
        return value
    }
}
