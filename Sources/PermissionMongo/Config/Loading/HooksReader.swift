import PMConfigFiles

/// `hooks.<collection>:` → `CollectionHooks`.
enum HooksReader {
    static let endpointKeys = ["url", "method", "timeout_ms", "headers", "secret"]
    static let methods = ["POST", "PUT", "PATCH"]

    static func read(_ entry: ConfigSections.Entry) -> CollectionHooks {
        var hooks = CollectionHooks()
        let events = entry.value.isNull ? [] : entry.value.entries(allowed: HookEvent.allCases.map(\.rawValue)) ?? []
        for event in events {
            guard let kind = HookEvent(rawValue: event.name) else { continue }
            guard case .sequence(let sequence) = event.value.node else {
                event.value.report("must be a list of hook endpoints")
                continue
            }
            hooks.endpoints[kind] = sequence.enumerated().compactMap { index, node in
                readEndpoint(event.value.item(index, node))
            }
        }
        return hooks
    }

    private static func readEndpoint(_ node: ConfigNode) -> HookEndpoint? {
        guard let settings = node.entries(allowed: endpointKeys) else { return nil }
        var endpoint = HookEndpoint(url: "")
        var valid = true
        for setting in settings {
            let value = setting.value
            switch setting.name {
            case "url":
                guard let url = value.string() else { valid = false; continue }
                if let problem = HookURL.problem(with: url) { value.report(problem); valid = false }
                endpoint.url = url
            case "method":
                guard let method = value.string()?.uppercased() else { valid = false; continue }
                if !methods.contains(method) {
                    value.report("must be one of \(methods.joined(separator: ", "))")
                    valid = false
                }
                endpoint.method = method
            case "timeout_ms":
                if let timeout = value.int(atLeast: 1) { endpoint.timeoutMs = timeout } else { valid = false }
            case "headers":
                for header in value.entries() ?? [] {
                    guard let text = header.value.string() else { valid = false; continue }
                    if !isHeaderName(header.name) {
                        header.value.report("is not a valid header name", line: header.keyLine)
                        valid = false
                    } else if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                        header.value.report("must not contain line breaks")
                        valid = false
                    } else {
                        endpoint.headers[header.name] = text
                    }
                }
            default:
                endpoint.secret = value.nonEmptyString()
            }
        }
        if !settings.contains(where: { $0.name == "url" }) {
            node.report("url is required")
            valid = false
        }
        return valid ? endpoint : nil
    }

    /// An HTTP token: letters, digits and ``!#$%&'*+-.^_`|~``.
    private static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
    }
}
