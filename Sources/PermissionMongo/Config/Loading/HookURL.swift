/// Hook receivers are plain `http://` or `https://` URLs with a host.
enum HookURL {
    /// Why `url` cannot be a hook receiver, or `nil` when it can.
    static func problem(with url: String) -> String? {
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else if lowered.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else {
            return "must be an http:// or https:// URL"
        }
        if url.contains(where: { $0.isWhitespace || $0.isNewline }) { return "must not contain spaces" }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        var host = hostPort
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return "has an invalid host" }
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), validPort(after.dropFirst()) else { return "has an invalid port" }
            }
            host = hostPort[hostPort.startIndex...close]
        } else if let colon = hostPort.lastIndex(of: ":") {
            guard validPort(hostPort[hostPort.index(after: colon)...]) else { return "has an invalid port" }
            host = hostPort[..<colon]
        }
        return host.isEmpty || host == "[]" ? "must name a host" : nil
    }

    /// `url` with the password of its user information, if any, replaced by `***`.
    static func masked(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@"),
              let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }

    private static func validPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let port = Int(text) else { return false }
        return (1...65535).contains(port)
    }
}
