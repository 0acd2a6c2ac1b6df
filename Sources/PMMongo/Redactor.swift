/// Keeps credentials out of messages and logs.
///
/// Built from the raw connection string: it knows the user-info part and the
/// password (raw and percent-decoded) and removes them from any text.
struct Redactor: Sendable {
    private let secrets: [String]

    /// Options whose values are secrets.
    private static let secretOptions: Set<String> = [
        "password", "tlscertificatekeyfilepassword", "sslclientcertificatekeypassword",
        "authmechanismproperties",
    ]

    init(uri: String) {
        var secrets: [String] = []
        if let userInfo = Self.userInfo(of: uri) {
            secrets.append(userInfo)
            if let colon = userInfo.firstIndex(of: ":") {
                let password = String(userInfo[userInfo.index(after: colon)...])
                secrets.append(password)
                secrets.append(Self.percentDecoded(password))
            }
        }
        for (name, value) in Self.options(of: uri) where Self.secretOptions.contains(name.lowercased()) {
            secrets.append(value)
            secrets.append(Self.percentDecoded(value))
        }
        // Longest first so a secret containing another is removed whole; very
        // short strings would mangle ordinary text.
        self.secrets = Array(Set(secrets.filter { $0.count >= 3 })).sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets {
            text = text.replacing(secret, with: "***")
        }
        return text
    }

    /// The connection string with credentials and secret option values replaced by `***`.
    static func redact(_ uri: String) -> String {
        var result = uri
        if let userInfo = userInfo(of: uri), let range = result.firstRange(of: userInfo + "@") {
            result.replaceSubrange(range, with: "***@")
        }
        for (name, value) in options(of: result) where secretOptions.contains(name.lowercased()) && !value.isEmpty {
            result = result.replacing("\(name)=\(value)", with: "\(name)=***")
        }
        return result
    }

    /// Text between `://` and the last `@` (over-redacting is safe).
    private static func userInfo(of uri: String) -> String? {
        guard let scheme = uri.firstRange(of: "://"), let at = uri.lastIndex(of: "@"), at > scheme.upperBound else {
            return nil
        }
        let info = String(uri[scheme.upperBound..<at])
        return info.isEmpty ? nil : info
    }

    private static func options(of uri: String) -> [(String, String)] {
        guard let question = uri.firstIndex(of: "?") else { return [] }
        let query = uri[uri.index(after: question)...]
        var result: [(String, String)] = []
        for pair in query.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name: Substring = pair[..<equals]
            let value: Substring = pair[pair.index(after: equals)...]
            result.append((String(name), String(value)))
        }
        return result
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
