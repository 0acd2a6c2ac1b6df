/// Gateway configurations for the identity-provider tests.
enum IdentityProviderConfig {
    static let issuer = "https://idp.test/"
    static let audience = "permission-mongo"

    /// `auth` plus one collection, `products`, that `viewer` may read and `admin` create and read.
    static func yaml(auth: String) -> String {
        """
        auth:
        \(auth.indented(by: 2))
        collections:
          products:
            fields:
              name: { type: string, required: true }
        policies:
          products:
            admin: { actions: [create, read] }
            viewer: { actions: [read] }
        """
    }

    /// A key set URL with the test issuer and audience, refreshed every `refresh` seconds.
    static func jwksURL(_ url: String, refresh: Int = 300, extra: String = "") -> String {
        """
        jwt:
          jwks_url: \(url)
          jwks_refresh_s: \(refresh)
          issuer: [\(issuer), https://other-idp.test/]
          audience: \(audience)
        \(extra)
        """
    }
}
