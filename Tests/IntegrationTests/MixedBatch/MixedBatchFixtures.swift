import PMBSON
@testable import PermissionMongo

/// Two collections for the mixed-batch tests: orders and their items.
enum MixedBatchFixtures {
    static let yaml = """
        server:
          max_batch_size: 10
          max_body_bytes: 8192
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          orders:
            fields:
              customer:    { type: string, required: true, min_length: 2 }
              total:       { type: number, min: 0 }
              external_id: { type: string, unique: true }
              status:      { type: string, enum: [open, paid] }
            versioning: { enabled: true, mode: full }
          items:
            fields:
              order_id: { type: objectid }
              product:  { type: string, required: true }
              qty:      { type: integer, min: 1 }
        policies:
          orders:
            admin:  { actions: [create, read, update, delete] }
            clerk:
              actions: [create, read, update]
              when: doc.created_by == user.id
            viewer: { actions: [read] }
          items:
            admin:  { actions: [create, read, update, delete] }
            clerk:  { actions: [create, read] }
            viewer: { actions: [read] }
        """

    /// `POST /batch` with `operations` (a JSON array) and `options` (a JSON object).
    static func batch(
        _ api: GatewayClient, token: String, _ operations: String, options: String = "{}"
    ) async throws -> GatewayClient.Reply {
        try await api.post("/batch", token: token, #"{"operations":\#(operations),"options":\#(options)}"#)
    }
}

extension GatewayClient.Reply {
    /// The results of a mixed batch, in order.
    var results: [BSONDocument] { json.documents("results") }
    var statuses: [Int] { results.compactMap { $0.int("status") } }
    var errorCodes: [String?] { results.map { $0.document("error")?.string("code") } }
}
