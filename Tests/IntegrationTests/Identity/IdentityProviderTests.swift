import Foundation
import HTTPTypes
import PMBSON
import Testing

/// Tokens from an identity provider, through the real stack: a key set served over HTTP on
/// loopback, fetched by the gateway through libcurl, keys generated here.
@Suite("Identity provider tokens")
struct IdentityProviderTests {
    /// Runs a gateway whose `auth` section is `auth`.
    static func gateway(auth: String, extraFiles: [String: String] = [:], _ body: @Sendable (GatewayClient) async throws -> Void) async throws {
        try await GatewayHarness.with(yaml: IdentityProviderConfig.yaml(auth: auth), extraFiles: extraFiles, body)
    }

    /// Polls `/readyz` until it answers 200 (the key set is loaded), at most 20 s.
    static func waitUntilReady(_ api: GatewayClient) async throws {
        for _ in 0..<200 {
            if try await api.get("/readyz", token: nil).status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("/readyz never became ready")
    }

    static func errorCode(_ reply: GatewayClient.Reply) -> String? {
        reply.json.document("error")?.string("code")
    }

    @Test func rs256ES256AndEdDSATokensAreAccepted() async throws {
        let rsa = try await TestSigningKey.rsa(kid: "rsa-1")
        let ec = try await TestSigningKey.es256(kid: "ec-1")
        let ed = try await TestSigningKey.ed25519(kid: "ed-1")
        let ps = try await TestSigningKey.rsa(kid: "ps-1", alg: "PS256", declareAlg: false)
        let provider = try await TestJWKSServer(serving: TestSigningKey.jwks([rsa, ec, ed, ps]))
        defer { Task { await provider.stop() } }
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(provider.url)) { api in
            try await Self.waitUntilReady(api)
            for key in [rsa, ec, ed, ps] {
                let reply = try await api.get("/products", token: try key.token(TestSigningKey.claims()))
                #expect(reply.status == .ok, "\(key.alg): \(reply.text)")
            }
            // No secret configured: an HS256 token is refused whatever it was "signed" with
            // (here the RSA public key, the classic algorithm confusion).
            let hsInput = TestSigningKey.base64url(Data(#"{"alg":"HS256","typ":"JWT","kid":"rsa-1"}"#.utf8)) + "."
                + TestSigningKey.base64url(Data(TestSigningKey.claims().utf8))
            let forged = hsInput + "." + (await TokenMinterSignature.hs256(hsInput, secret: rsa.jwk))
            let refused = try await api.get("/products", token: forged)
            #expect(refused.status == .unauthorized)
            #expect(refused.json.document("error")?.string("message")?.contains("HS256 tokens are not accepted") == true)
            // The caller is who the token says: the tenant and user land on what it creates.
            let admin = try rsa.token(TestSigningKey.claims(sub: "alice", tenant: "globex", roles: ["admin"]))
            let created = try await api.post("/products/batch", token: admin, #"{"documents":[{"name":"thing"}]}"#)
            let id = try #require(created.json.strings("created").first, "\(created.text)")
            let document = try await api.get("/products/\(id)", token: admin).json
            #expect(document.string("tenant_id") == "globex")
            #expect(document.string("created_by") == "alice")
        }
    }

    @Test func everyRefusalIs401() async throws {
        let rsa = try await TestSigningKey.rsa(kid: "rsa-1")
        let ec = try await TestSigningKey.es256(kid: "ec-1")
        let impostor = try await TestSigningKey.rsa(kid: "rsa-1")
        let provider = try await TestJWKSServer(serving: TestSigningKey.jwks([rsa, ec]))
        defer { Task { await provider.stop() } }
        let secret = GatewayHarness.secret
        let auth = IdentityProviderConfig.jwksURL(provider.url) + "\n  secret: \(secret)\n  leeway_s: 30"
        try await Self.gateway(auth: auth) { api in
            try await Self.waitUntilReady(api)
            let now = Int(Date().timeIntervalSince1970)
            let claims = TestSigningKey.claims(now: now)
            let body = TestSigningKey.base64url(Data(claims.utf8))
            // HS256 "signed" with the RSA public key (the JWK text) as the HMAC secret.
            let hsHeader = TestSigningKey.base64url(Data(#"{"alg":"HS256","typ":"JWT","kid":"rsa-1"}"#.utf8))
            let hsInput = hsHeader + "." + body
            let publicKeyAsSecret = await TokenMinterSignature.hs256(hsInput, secret: rsa.jwk)
            let noneHeader = TestSigningKey.base64url(Data(#"{"alg":"none","typ":"JWT","kid":"rsa-1"}"#.utf8))
            func timed(_ field: String) -> String {
                TestSigningKey.claims(now: now, extra: field).replacingOccurrences(of: #""exp":\#(now + 3600),"#, with: "")
            }
            let cases: [(String, String, String)] = [
                ("alg none", "\(noneHeader).\(body).", "not accepted"),
                ("HS256 with the public key as secret", "\(hsInput).\(publicKeyAsSecret)", "signature is invalid"),
                ("alg that does not fit the key", try rsa.token(claims, header: #"{"alg":"ES256","kid":"rsa-1"}"#), "does not fit"),
                ("RS256 named on an EC key", try ec.token(claims, header: #"{"alg":"RS256","kid":"ec-1"}"#), "does not fit"),
                ("PS256 on a key declared RS256", try rsa.token(claims, header: #"{"alg":"PS256","kid":"rsa-1"}"#), "does not fit"),
                ("another key's signature", try impostor.token(claims), "signature is invalid"),
                ("unknown kid", try rsa.token(claims, header: #"{"alg":"RS256","kid":"nope"}"#), "not in the key set"),
                ("wrong issuer", try rsa.token(TestSigningKey.claims(now: now, iss: "https://evil.test/")), "issuer"),
                ("wrong audience", try rsa.token(TestSigningKey.claims(now: now, aud: "someone-else")), "audience"),
                ("expired beyond the leeway", try rsa.token(timed(#""exp":\#(now - 60)"#)), "expired"),
                ("nbf beyond the leeway", try rsa.token(timed(#""exp":\#(now + 3600),"nbf":\#(now + 1800)"#)), "not yet valid"),
                ("iat in the future", try rsa.token(TestSigningKey.claims(now: now).replacingOccurrences(
                    of: #""iat":\#(now)"#, with: #""iat":\#(now + 600)"#)), "issued in the future"),
                ("missing tenant", try rsa.token(TestSigningKey.claims(now: now, tenant: nil)), #"claim "tenant_id""#),
                ("empty tenant", try rsa.token(TestSigningKey.claims(now: now, tenant: "")), #"claim "tenant_id""#),
                ("missing sub", try rsa.token(TestSigningKey.claims(now: now, sub: "")), #"claim "sub""#),
            ]
            for (name, token, message) in cases {
                let reply = try await api.get("/products", token: token)
                #expect(reply.status == .unauthorized, "\(name): \(reply.text)")
                #expect(Self.errorCode(reply) == "unauthorized", "\(name)")
                #expect(reply.json.document("error")?.string("message")?.contains(message) == true, "\(name): \(reply.text)")
            }
            // Within the leeway: still (or already) valid. Made just before they are sent, so
            // a slow machine does not age them past the leeway.
            let withinLeeway: [@Sendable (Int) throws -> String] = [
                { now in try rsa.token(TestSigningKey.claims(now: now).replacingOccurrences(
                    of: #""exp":\#(now + 3600)"#, with: #""exp":\#(now - 10)"#)) },
                { now in try rsa.token(TestSigningKey.claims(now: now, extra: #""nbf":\#(now + 10)"#)) },
                { now in try rsa.token(TestSigningKey.claims(now: now, iss: "https://other-idp.test/")) },
                { now in try rsa.token(TestSigningKey.claims(now: now).replacingOccurrences(
                    of: #""aud":"permission-mongo""#, with: #""aud":["other","permission-mongo"]"#)) },
            ]
            for (index, make) in withinLeeway.enumerated() {
                let reply = try await api.get("/products", token: try make(Int(Date().timeIntervalSince1970)))
                #expect(reply.status == .ok, "case \(index): \(reply.text)")
            }
            // HS256 with the configured secret still works beside the key set.
            let hsClaims = TestSigningKey.base64url(Data(TestSigningKey.claims(now: now).utf8))
            let hsSigned = TestSigningKey.base64url(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + hsClaims
            let hs256 = hsSigned + "." + (await TokenMinterSignature.hs256(hsSigned, secret: secret))
            #expect(try await api.get("/products", token: hs256).status == .ok)
        }
    }

    @Test func aNewKidIsPickedUpWithoutRestart() async throws {
        let first = try await TestSigningKey.rsa(kid: "2026-01")
        let second = try await TestSigningKey.es256(kid: "2026-02")
        let provider = try await TestJWKSServer(serving: TestSigningKey.jwks([first]))
        defer { Task { await provider.stop() } }
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(provider.url)) { api in
            try await Self.waitUntilReady(api)
            #expect(try await api.get("/products", token: try first.token(TestSigningKey.claims())).status == .ok)
            let fetchesBefore = provider.fetches
            provider.publish(TestSigningKey.jwks([first, second]))
            let started = ContinuousClock.now
            let rotated = try await api.get("/products", token: try second.token(TestSigningKey.claims()))
            #expect(rotated.status == .ok, "\(rotated.text)")
            #expect(provider.fetches == fetchesBefore + 1)
            // Another unknown kid within 10 s: no refetch, refused as unknown.
            let unknown = try await api.get("/products", token: try second.token(
                TestSigningKey.claims(), header: #"{"alg":"ES256","kid":"2026-03"}"#))
            #expect(unknown.status == .unauthorized)
            if ContinuousClock.now - started < .seconds(10) {  // a slow machine may pass the window
                #expect(provider.fetches == fetchesBefore + 1)
            }
        }
    }

    @Test func thePeriodicRefreshReplacesTheSetWhole() async throws {
        let old = try await TestSigningKey.rsa(kid: "old")
        let new = try await TestSigningKey.es256(kid: "new")
        let provider = try await TestJWKSServer(serving: TestSigningKey.jwks([old]))
        defer { Task { await provider.stop() } }
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(provider.url, refresh: 1)) { api in
            try await Self.waitUntilReady(api)
            // The same token before and after: verified once, then remembered until the set changes.
            let oldToken = try old.token(TestSigningKey.claims())
            #expect(try await api.get("/products", token: oldToken).status == .ok)
            #expect(try await api.get("/products", token: oldToken).status == .ok)
            let fetches = provider.fetches
            provider.publish(TestSigningKey.jwks([new]))
            // Three fetches: the second started after the publication, and ended before the third.
            for _ in 0..<300 where provider.fetches < fetches + 3 {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await api.get("/products", token: try new.token(TestSigningKey.claims())).status == .ok)
            let removed = try await api.get("/products", token: oldToken)
            #expect(removed.status == .unauthorized, "\(removed.text)")
            #expect(removed.json.document("error")?.string("message")?.contains(#"key "old" is not in the key set"#) == true)
        }
    }

    @Test func aProviderThatGoesAwayKeepsCachedKeysAndAnswers503ForNewOnes() async throws {
        let key = try await TestSigningKey.rsa(kid: "k1")
        let provider = try await TestJWKSServer(serving: TestSigningKey.jwks([key]))
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(provider.url)) { api in
            try await Self.waitUntilReady(api)
            await provider.stop()
            let cached = try await api.get("/products", token: try key.token(TestSigningKey.claims()))
            #expect(cached.status == .ok, "\(cached.text)")
            let newKid = try await api.get("/products", token: try key.token(
                TestSigningKey.claims(), header: #"{"alg":"RS256","kid":"k2"}"#))
            #expect(newKid.status == .serviceUnavailable, "\(newKid.text)")
            #expect(Self.errorCode(newKid) == "auth_unavailable")
            #expect(newKid.json.document("error")?.string("message")?.contains(provider.url) == true)
            #expect(try await api.get("/products", token: try key.token(TestSigningKey.claims())).status == .ok)
        }
    }

    @Test func aMalformedKeySetAtStartServesButIsNotReadyUntilKeysLoad() async throws {
        let key = try await TestSigningKey.ed25519(kid: "late")
        let provider = try await TestJWKSServer(serving: "this is not JSON")
        defer { Task { await provider.stop() } }
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(provider.url, refresh: 1)) { api in
            let notReady = try await api.get("/readyz", token: nil)
            #expect(notReady.status == .serviceUnavailable)
            #expect(Self.errorCode(notReady) == "auth_unavailable")
            #expect(try await api.get("/healthz", token: nil).status == .ok)
            let early = try await api.get("/products", token: try key.token(TestSigningKey.claims()))
            #expect(early.status == .serviceUnavailable, "\(early.text)")
            #expect(Self.errorCode(early) == "auth_unavailable")

            provider.publish(TestSigningKey.jwks([key]))
            try await Self.waitUntilReady(api)
            #expect(try await api.get("/products", token: try key.token(TestSigningKey.claims())).status == .ok)
        }
    }

    @Test func anUnreachableProviderAtStartServesButIsNotReady() async throws {
        let key = try await TestSigningKey.rsa(kid: "k1")
        let gone = try await TestJWKSServer(serving: "{}")
        await gone.stop()
        try await Self.gateway(auth: IdentityProviderConfig.jwksURL(gone.url)) { api in
            #expect(try await api.get("/readyz", token: nil).status == .serviceUnavailable)
            let reply = try await api.get("/products", token: try key.token(TestSigningKey.claims()))
            #expect(reply.status == .serviceUnavailable)
            #expect(Self.errorCode(reply) == "auth_unavailable")
        }
    }

    /// Where a provider puts the user, tenant and roles, and the `auth.claims` that read them.
    struct MappingCase: Sendable, CustomTestStringConvertible {
        var provider: String
        var claims: String
        var tenantPath: String
        /// Token fields besides sub/iss/exp, with the tenant and the role `viewer`.
        var fields: String
        /// The same without the tenant.
        var withoutTenant: String
        var testDescription: String { provider }
    }

    static let mappingCases = [
        // Keycloak: realm roles under realm_access.roles, a custom tenant attribute.
        MappingCase(
            provider: "keycloak", claims: "user: preferred_username\n  tenant: org.id\n  roles: realm_access.roles",
            tenantPath: "org.id",
            fields: #""preferred_username":"kc-user","org":{"id":"acme"},"realm_access":{"roles":["offline_access","viewer"]}"#,
            withoutTenant: #""preferred_username":"kc-user","org":{},"realm_access":{"roles":["viewer"]}"#),
        // Auth0: namespaced custom claims, names with dots and slashes (JSON pointers).
        MappingCase(
            provider: "auth0", claims: "tenant: /https:~1~1example.com~1tenant\n  roles: /https:~1~1example.com~1roles",
            tenantPath: "/https:~1~1example.com~1tenant",
            fields: #""https://example.com/tenant":"acme","https://example.com/roles":["viewer"]"#,
            withoutTenant: #""https://example.com/roles":["viewer"]"#),
        // Cognito: groups in cognito:groups, the tenant in a custom attribute.
        MappingCase(
            provider: "cognito", claims: "tenant: custom:tenant_id\n  roles: cognito:groups",
            tenantPath: "custom:tenant_id",
            fields: #""custom:tenant_id":"acme","cognito:groups":["viewer","billing"]"#,
            withoutTenant: #""custom:tenant_id":"","cognito:groups":["viewer"]"#),
        // OAuth scopes: one string of names separated by spaces or commas.
        MappingCase(
            provider: "scope", claims: "roles: scope", tenantPath: "tenant_id",
            fields: #""tenant_id":"acme","scope":"openid viewer,profile""#,
            withoutTenant: #""scope":"openid viewer""#),
    ]

    @Test(arguments: mappingCases)
    func claimMapping(_ mapping: MappingCase) async throws {
        let key = try await TestSigningKey.rsa(kid: "\(mapping.provider)-key")
        let now = Int(Date().timeIntervalSince1970)
        let auth = "jwt:\n  jwks_file: jwks.json\n  issuer: \(IdentityProviderConfig.issuer)\nclaims:\n  \(mapping.claims)"
        let token = { @Sendable (fields: String) in
            try key.token(#"{"sub":"u-1","iss":"\#(IdentityProviderConfig.issuer)","exp":\#(now + 600),\#(fields)}"#)
        }
        try await Self.gateway(auth: auth, extraFiles: ["jwks.json": TestSigningKey.jwks([key])]) { api in
            let reply = try await api.get("/products", token: try token(mapping.fields))
            #expect(reply.status == .ok, "\(mapping.provider): \(reply.text)")
            // Without the role the mapping finds, the same caller may not read.
            let noRole = mapping.fields.replacingOccurrences(of: "viewer", with: "nobody")
            #expect(try await api.get("/products", token: try token(noRole)).status == .forbidden, "\(mapping.provider)")
            // Without the tenant: 401 naming the configured claim path.
            let missing = try await api.get("/products", token: try token(mapping.withoutTenant))
            #expect(missing.status == .unauthorized)
            #expect(missing.json.document("error")?.string("message")?.contains(#"claim "\#(mapping.tenantPath)""#) == true,
                    "\(mapping.provider): \(missing.text)")
        }
    }
}
