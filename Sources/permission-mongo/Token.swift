import ArgumentParser
import PermissionMongo

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint an HS256 token with the configured secret (for local use and examples).")

    @OptionGroup var options: ConfigOption
    @Option(help: "User id (the `sub` claim).") var sub: String
    @Option(help: "Tenant id (the `tenant_id` claim).") var tenant: String
    @Option(help: "Comma-separated roles.") var roles: String = ""
    @Option(help: "Lifetime in seconds.") var expiresIn: Int = 3600

    func run() async throws {
        let config = try options.load()
        guard let secret = config.auth.jwtSecret else {
            var stderr = StandardError()
            print("token: minting needs auth.jwt.secret (or PM_JWT_SECRET); tokens for a key set come from its provider", to: &stderr)
            throw ExitCode(1)
        }
        let minter = await TokenMinter(secret: secret)
        let roleList = roles.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        // The configured issuer and audience, so that the gateway accepts the token; the
        // claims stay at `sub`, `tenant_id` and `roles` whatever `auth.claims` says.
        print(try await minter.token(
            subject: sub, tenantId: tenant, roles: roleList, expiresIn: Double(expiresIn),
            issuer: config.auth.issuers.first, audience: config.auth.audiences.first))
    }
}
