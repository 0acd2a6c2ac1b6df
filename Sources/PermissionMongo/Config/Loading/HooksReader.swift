import PMConfigFiles

/// `hooks.<collection>:` → `CollectionHooks`.
enum HooksReader {
    static let endpointKeys = ["url", "method", "timeout_ms", "headers", "secret", "mode", "max_in_flight", "max_documents"]
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
        var maxDocumentsNode: ConfigNode?
        var modeKnown = true
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
            case "mode":
                if let mode = value.oneOf(HookMode.self) { endpoint.mode = mode } else { valid = false; modeKnown = false }
            case "max_in_flight":
                if let limit = value.int(atLeast: 1) { endpoint.maxInFlight = limit } else { valid = false }
            case "max_documents":
                maxDocumentsNode = value
                if let limit = value.int(atLeast: 1) { endpoint.maxDocuments = limit } else { valid = false }
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
            default:  // secret
                endpoint.secret = value.nonEmptyString()
            }
        }
        if let maxDocumentsNode, endpoint.mode != .batch, modeKnown {
            maxDocumentsNode.report("applies only to mode: batch")
            valid = false
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
