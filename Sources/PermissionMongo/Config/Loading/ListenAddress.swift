/// `host:port` of `server.listen` / `PM_LISTEN`; IPv6 hosts in brackets (`[::1]:8080`).
enum ListenAddress {
    /// `(host, port)`, or the reason it is not a listen address.
    static func parse(_ text: String) -> Result<(host: String, port: Int), ListenAddressError> {
        guard let colon = text.lastIndex(of: ":") else { return .failure(.init()) }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2 {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return .failure(.init())
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
              !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = Int(portText), (0...65535).contains(port)
        else { return .failure(.init()) }
        return .success((host, port))
    }

    struct ListenAddressError: Error {
        let message = "must be host:port, e.g. 127.0.0.1:8080 (port 0-65535)"
    }
}
