import PMBSON

/// Where a claim lives in a token's payload (docs/API.md, "Claim mapping"): a dotted path
/// (`tenant_id`, `realm_access.roles`) or, for names that contain dots, a JSON pointer
/// (`/https:~1~1example.com~1roles`, RFC 6901: `~1` is `/`, `~0` is `~`).
public struct ClaimPath: Sendable, Equatable, CustomStringConvertible {
    /// As written in the configuration.
    public let text: String
    /// The names (or, on an array, decimal indexes) walked from the payload's top level.
    public let components: [String]

    public var description: String { text }

    /// Why a path cannot be used, as `check` reports it.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Invalid) {
        guard !text.isEmpty else { throw Invalid(description: "must not be empty") }
        if text.hasPrefix("/") {
            components = try Self.pointerComponents(text)
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !parts.contains(where: \.isEmpty) else {
                throw Invalid(description: "\"\(text)\" has an empty name between dots (a JSON pointer such as /a.b names a claim with dots)")
            }
            components = parts
        }
        self.text = text
    }

    private static func pointerComponents(_ text: String) throws(Invalid) -> [String] {
        var result: [String] = []
        for token in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard !token.isEmpty else { throw Invalid(description: "JSON pointer \"\(text)\" has an empty name") }
            var name = ""
            var escape = false
            for character in token {
                if escape {
                    switch character {
                    case "0": name.append("~")
                    case "1": name.append("/")
                    default: throw Invalid(description: "JSON pointer \"\(text)\" has \"~\(character)\"; only ~0 (~) and ~1 (/) are escapes")
                    }
                    escape = false
                } else if character == "~" {
                    escape = true
                } else {
                    name.append(character)
                }
            }
            guard !escape else { throw Invalid(description: "JSON pointer \"\(text)\" ends in a lone \"~\"") }
            result.append(name)
        }
        return result
    }

    /// The value at this path, `nil` when a step is missing.
    public func value(in payload: BSONDocument) -> BSON? {
        var current: BSON = .document(payload)
        for component in components {
            switch current {
            case .document(let document):
                guard let next = document.value(forKey: component) else { return nil }
                current = next
            case .array(let values):
                guard let index = BSONDocument.arrayIndex(component), index < values.count else { return nil }
                current = values[index]
            default:
                return nil
            }
        }
        return current
    }
}
