import Crypto
import NIOConcurrencyHelpers

/// Tokens verified a moment ago (docs/API.md, "Tokens"): a client sends the same token on
/// every request, and a public-key signature check (ES256 ~50 µs here) need not be repeated
/// for each. Kept by the SHA-256 of the token, never the token itself. An entry lasts until
/// the token expires (within the leeway) or `maxAge` has passed, whichever comes first, and
/// belongs to one generation of keys: a replaced key set starts afresh, so a key removed
/// by the provider stops its tokens at the next refresh.
final class VerifiedTokens: Sendable {
    static let maxAge: Double = 60
    static let capacity = 10_000

    private struct Entry {
        var caller: Caller
        var validUntil: Double
        var generation: Int
    }

    private let entries = NIOLockedValueBox([SHA256Digest: Entry]())

    /// The caller `token` was verified as, when that is still valid at `now` (seconds since
    /// 1970) under key generation `generation`.
    func caller(for token: String, now: Double, generation: Int) -> Caller? {
        let digest = SHA256.hash(data: Array(token.utf8))
        return entries.withLockedValue { entries in
            guard let entry = entries[digest] else { return nil }
            guard now < entry.validUntil, entry.generation == generation else {
                entries[digest] = nil
                return nil
            }
            return entry.caller
        }
    }

    /// Remembers a verified token; `acceptedUntil`: when its `exp` (plus the leeway) runs out.
    func remember(_ token: String, as caller: Caller, acceptedUntil: Double?, now: Double, generation: Int) {
        let validUntil = min(acceptedUntil ?? .infinity, now + Self.maxAge)
        guard validUntil > now else { return }
        let digest = SHA256.hash(data: Array(token.utf8))
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.validUntil > now }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[digest] = Entry(caller: caller, validUntil: validUntil, generation: generation)
        }
    }

    var count: Int { entries.withLockedValue { $0.count } }
}
