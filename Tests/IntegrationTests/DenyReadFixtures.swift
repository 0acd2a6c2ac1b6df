import Foundation
import PMBSON

/// A collection with a salary, a nested `dims.w` and an array of `lines` with a `cost`,
/// and roles that hide them in different ways (`deny_read`).
enum DenyReadFixtures {
    static let yaml = """
        server:
          max_batch_size: 20
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          staff:
            fields:
              name:   { type: string, required: true }
              team:   { type: string }
              salary: { type: number }
              dims:   { type: object, fields: { w: { type: number }, h: { type: number } } }
              lines:
                type: array
                items: { type: object, fields: { sku: { type: string }, cost: { type: number } } }
            versioning: { enabled: true, mode: full }
          ledger:
            fields:
              title:  { type: string, required: true }
              secret: { type: number }
              meta:   { type: object, fields: { code: { type: string }, note: { type: string } } }
            versioning: { enabled: true, mode: diff }
        policies:
          staff:
            admin:   { actions: [create, read, update, delete, restore] }
            viewer:  { actions: [read], deny_read: [salary, dims.w, lines.cost] }
            auditor: { actions: [read], deny_read: [salary] }
            hr:      { actions: [read] }
            own_reader:
              actions: [read]
              when: doc.created_by == user.id
            editor:  { actions: [create, read, update, delete, restore], deny_read: [salary] }
            writer:  { actions: [create, update], deny_read: [salary] }
            lead:    { inherits: [viewer] }
            senior:  { inherits: [viewer], actions: [read] }
          ledger:
            admin:  { actions: [create, read, update] }
            viewer: { actions: [read], deny_read: [secret, meta.code] }
        """

    static func with(_ body: @Sendable (GatewayClient) async throws -> Void) async throws {
        try await GatewayHarness.with(yaml: yaml, body)
    }

    static let fullDocument = #"""
        {"name":"Ann","team":"red","salary":100,"dims":{"w":1,"h":2},"lines":[{"sku":"a","cost":5},{"sku":"b","cost":6}]}
        """#
}

extension GatewayClient {
    /// `GET` with query parameters percent-encoded.
    func list(_ collection: String, _ parameters: [(String, String)], token: String) async throws -> Reply {
        let query = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
        return try await get("/\(collection)?" + query.joined(separator: "&"), token: token)
    }
}

extension BSONDocument {
    /// Whether the document shows the salary, `dims.w` and the items' `cost`, in that order.
    var showsHiddenFields: [Bool] {
        let lines = documents("lines")
        return [self["salary"] != nil, document("dims")?["w"] != nil, lines.contains { $0["cost"] != nil }]
    }
}
