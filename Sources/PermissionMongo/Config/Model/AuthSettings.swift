/// `auth:` — how bearer tokens are checked.
public struct AuthSettings: Sendable, Equatable {
    /// HS256 needs a key of at least this many bytes (jwt-kit refuses shorter ones).
    public static let minimumSecretBytes = 32

    /// HS256 signing secret (`auth.jwt.secret`, or `PM_JWT_SECRET`).
    public var jwtSecret: String

    public init(jwtSecret: String) {
        self.jwtSecret = jwtSecret
    }
}
