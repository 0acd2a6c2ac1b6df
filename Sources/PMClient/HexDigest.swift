import Crypto
import Foundation

/// SHA-256 (swift-crypto) fed in pieces and read as lowercase hex: the digests behind an
/// import's idempotency keys and checkpoints.
struct HexDigest {
    private var hasher = SHA256()

    mutating func update(_ text: String) {
        hasher.update(data: Array(text.utf8))
    }

    mutating func update(_ bytes: some Sequence<UInt8>) {
        hasher.update(data: Array(bytes))
    }

    func finalizeHex() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func hex(_ bytes: [UInt8]) -> String {
        var digest = HexDigest()
        digest.update(bytes)
        return digest.finalizeHex()
    }
}
