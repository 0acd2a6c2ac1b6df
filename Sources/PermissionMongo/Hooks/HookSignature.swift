import Crypto
import Foundation

/// Request signing for hooks with a `secret`: HMAC-SHA256 over `<timestamp>.<body>`
/// (timestamp = Unix seconds, as sent in `X-PM-Timestamp`), sent as
/// `X-PM-Signature: sha256=<lowercase hex>`.
enum HookSignature {
    static let timestampHeader = "X-PM-Timestamp"
    static let signatureHeader = "X-PM-Signature"
    static let scheme = "sha256="

    /// `sha256=<hex>` for `body` sent at `timestamp`.
    static func sign(body: [UInt8], timestamp: Int, secret: String) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return scheme + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// What a receiver does: recompute and compare in constant time.
    static func verify(signature: String, body: [UInt8], timestamp: Int, secret: String) -> Bool {
        guard signature.hasPrefix(scheme), let expected = hexBytes(signature.dropFirst(scheme.count)) else { return false }
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return HMAC<SHA256>.isValidAuthenticationCode(
            expected, authenticating: message, using: SymmetricKey(data: Array(secret.utf8)))
    }

    /// The two headers for a request sent now.
    static func headers(body: [UInt8], secret: String, now: Date = Date()) -> [(name: String, value: String)] {
        let timestamp = Int(now.timeIntervalSince1970)
        return [
            (timestampHeader, String(timestamp)),
            (signatureHeader, sign(body: body, timestamp: timestamp, secret: secret)),
        ]
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
