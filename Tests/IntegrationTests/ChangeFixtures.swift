import Foundation
import HTTPTypes
import PMBSON

/// Configuration and helpers shared by the update, delete and version tests.
enum ChangeFixtures {
    static let yaml = """
        server:
          max_batch_size: 60
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          products:
            fields:
              name:     { type: string, required: true, min_length: 3 }
              price:    { type: number, required: true, min: 0 }
              qty:      { type: integer }
              status:   { type: string }
              category: { type: string, enum: [widgets, gadgets] }
              sku:      { type: string, unique: true }
              released: { type: date }
              tags:     { type: array, items: { type: string } }
            versioning: { enabled: true, mode: full }
          articles:
            fields:
              title: { type: string, required: true }
              views: { type: integer, min: 0 }
            versioning: { enabled: true, mode: diff, max_versions: 3 }
            soft_delete: true
          notes:
            fields:
              text: { type: string, required: true }
            versioning: { enabled: true, mode: full, retention_days: 7 }
        policies:
          products:
            admin:  { actions: [create, read, update, delete, restore] }
            editor:
              inherits: [viewer]
              actions: [create, read, update, delete]
              when: doc.created_by == user.id
              deny_write: [price]
            viewer: { actions: [read] }
            pricer: { actions: [read, update] }
            own_reader:
              actions: [read]
              when: doc.created_by == user.id
          articles:
            writer: { actions: [create, read, update, delete, restore] }
          notes:
            writer: { actions: [create, read, update] }
        """

    static func with(_ body: @Sendable (GatewayClient) async throws -> Void) async throws {
        try await GatewayHarness.with(yaml: yaml, body)
    }
}

extension GatewayClient {
    func put(_ path: String, token: String?, _ body: String) async throws -> Reply {
        try await send(.put, path, token: token, body: body)
    }

    func delete(_ path: String, token: String?, _ body: String? = nil) async throws -> Reply {
        try await send(.delete, path, token: token, body: body)
    }

    /// Creates documents and returns their ids (the batch must fully succeed).
    func create(_ collection: String, token: String, _ documents: [String]) async throws -> [String] {
        let reply = try await post("/\(collection)/batch", token: token, #"{"documents":[\#(documents.joined(separator: ","))]}"#)
        guard reply.status == .created, reply.json.documents("failed").isEmpty else {
            throw FixtureError(message: "create failed: \(reply.status) \(reply.text)")
        }
        return reply.json.strings("created")
    }

    func document(_ collection: String, _ id: String, token: String) async throws -> BSONDocument {
        try await get("/\(collection)/\(id)", token: token).json
    }

    func list(_ collection: String, filter: String, token: String) async throws -> Reply {
        let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try await get("/\(collection)?filter=\(encoded)&limit=60", token: token)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func quoted(_ ids: [String]) -> String {
    "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
}
