import JWTKit

/// `auth.jwt.jwks_file`: a key set read from disk when the configuration is loaded.
public struct JWKSFile: Sendable, Equatable {
    /// As resolved against the configuration directory.
    public var path: String
    public var keys: JWKS
    let bytes: [UInt8]

    init(path: String, keys: JWKS, bytes: [UInt8]) {
        self.path = path
        self.keys = keys
        self.bytes = bytes
    }

    public static func == (a: JWKSFile, b: JWKSFile) -> Bool { a.path == b.path && a.bytes == b.bytes }
}
