import PMTestKit

/// A caller of a differential case: a user of tenant `t1` with some of the generated roles
/// and the claims `level` and `org` (either may be absent).
struct GeneratedUser {
    var id: String
    var roles: [String]
    var level: Int?
    var org: String?
}

/// One `PUT` or `DELETE /{c}/batch`, sent alike to both collections.
struct GeneratedRequest {
    enum Selector {
        /// Documents by sequence number `k` (mapped to each collection's ids), plus ids
        /// that exist nowhere.
        case ids([Int], missing: Int)
        case filter(String)
    }

    var user: Int
    var selector: Selector
    /// The update (JSON); nil for a delete.
    var update: String?
    var atomic = false
    var reportDenied = false
    var idempotencyKey = false

    /// The body, with `ids` naming each `k` by `id(k)`.
    func body(id: (Int) -> String) -> String {
        var parts: [String] = []
        switch selector {
        case .ids(let ks, let missing):
            let ids = ks.map(id) + (0..<missing).map { "00000000000000000000000\($0)" }
            parts.append("\"ids\":[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        case .filter(let filter): parts.append("\"filter\":\(filter)")
        }
        if let update { parts.append("\"update\":\(update)") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    var query: String {
        let flags = (atomic ? ["atomic=true"] : []) + (reportDenied ? ["report_denied=true"] : [])
        return flags.isEmpty ? "" : "?" + flags.joined(separator: "&")
    }

    var description: String {
        "\(update == nil ? "DELETE" : "PUT") /{c}/batch\(query) as user \(user)\(idempotencyKey ? " with an Idempotency-Key" : "")"
            + " body \(body { "<k=\($0)>" })"
    }
}

/// A whole differential case from one seed: the schema both collections share, their
/// policies, the callers, the stored documents (`k` 0..<n in tenant `t1`, a few more in
/// `t2`) and the requests.
struct DifferentialCase {
    let seed: UInt64
    let schema: GeneratedSchema
    let roles: [String]
    let users: [GeneratedUser]
    /// Documents by creator (an index into `users`; `nil`: tenant `t2`), in `k` order.
    let documents: [(creator: Int?, json: String)]
    let requests: [GeneratedRequest]

    init(seed: UInt64, requestCount: Int) {
        self.seed = seed
        var rng = SplitMix(state: seed)
        let schema = GeneratedSchema(&rng)
        self.schema = schema
        var generator = RequestGenerator(schema: schema, rng: rng)
        roles = (1...3).map { generator.role("r\($0)") }
        users = (0..<4).map { index in
            var roles = ["r1", "r2", "r3"].filter { _ in generator.rng.chance(45) }
            if roles.isEmpty { roles = [generator.rng.pick(["r1", "r2", "r3"])] }
            return GeneratedUser(
                id: "u\(index)", roles: roles,
                level: generator.rng.chance(70) ? generator.rng.within(0, 40) : nil,
                org: generator.rng.chance(70) ? generator.rng.pick(["a", "b", "ab"]) : nil)
        }
        let own = generator.rng.within(20, 60)
        let foreign = generator.rng.within(2, 5)
        var documents: [(Int?, String)] = []
        for k in 0..<(own + foreign) {
            documents.append((k < own ? generator.rng.below(4) : nil, schema.document(k: k, &generator.rng)))
        }
        self.documents = documents
        generator.documentCount = own + foreign
        requests = (0..<requestCount).map { _ in generator.request() }
    }

    /// The collection that pushes changes down, and the one that reads every document first.
    static let pushedDown = "c_down"
    static let readFirst = "c_rmw"

    /// The gateway configuration: the two collections with the same schema and policies.
    var yaml: String {
        let policies = (["seeder: { actions: [create, read] }"] + roles).map { "    " + $0 }.joined(separator: "\n")
        return """
            server:
              max_batch_size: 7
              max_atomic_match: 30
            database:
              pool_size: 4
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
            \(schema.yaml(Self.pushedDown, pushDown: true).indented(by: 2))
            \(schema.yaml(Self.readFirst, pushDown: false).indented(by: 2))
            policies:
              \(Self.pushedDown):
            \(policies)
              \(Self.readFirst):
            \(policies)
            """
    }
}
