import Crypto
import NIOConcurrencyHelpers
import PMBSON
import PMMongo

/// `_pm_idempotency` (docs/API.md, "Idempotency"): one record per `Idempotency-Key` and scope
/// (tenant, user, method, path). A request claims its key before it runs by writing a
/// `running` record with a lease, outside its transaction, so that a second request with
/// the key sees it at once; it completes the record *in its own transaction*, with the
/// status and body it answers, so the record exists exactly when the writes do. A record
/// whose gateway died while running is taken over once its lease has run out. Records
/// expire after `server.idempotency_ttl_hours` (TTL index on `expires_at`).
struct IdempotencyRecords: Sendable {
    static let collection = "_pm_idempotency"

    let store: DocumentStore
    /// How long a completed key is kept.
    let ttl: Duration
    /// How long a running request holds its key before another may take it over.
    var lease: Duration = .seconds(60)
    private let index = NIOLockedValueBox(false)

    init(store: DocumentStore, ttl: Duration) {
        self.store = store
        self.ttl = ttl
    }

    /// Who may use a key: the same key of another tenant, user, method or path is another record.
    struct Scope: Sendable {
        var tenantId: String
        var userId: String
        var method: String
        var path: String
        var key: String

        /// The record's `_id`: the scope's SHA-256, so that any key text makes a fixed-size id.
        var id: String {
            let text = [tenantId, userId, method, path, key].joined(separator: "\u{0}")
            return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }

    enum Claim: Sendable {
        /// This request runs; `token` identifies its claim.
        case run(token: String)
        /// Completed before with the same request: its answer.
        case replay(status: Int, body: [UInt8])
        /// Used before with another request.
        case reused
        /// The same request is running now.
        case inProgress
    }

    /// Claims the key for a request whose method, query and body hash to `requestHash`.
    /// Claims and releases are the key's bookkeeping, not the request's writes: its
    /// `WriteFence` does not count them (a request answered at the shutdown deadline while
    /// it held its key wrote nothing of the client's data).
    func claim(_ scope: Scope, requestHash: String) async throws -> Claim {
        try await WriteFence.$current.withValue(nil) { try await claimUnfenced(scope, requestHash: requestHash) }
    }

    private func claimUnfenced(_ scope: Scope, requestHash: String) async throws -> Claim {
        try await ensureIndex()
        let id = scope.id
        for _ in 0..<4 {
            let now = BSONDate.now()
            let token = ObjectId.generate().hex
            let found = try await store.findOne(in: Self.collection, filter: BSONDocument(["_id": .string(id)]))
            if let found, let expires = found.date("expires_at"), expires > now {
                if found.string("request_hash") != requestHash { return .reused }
                if found.string("state") == "done" {
                    guard case .binary(_, let body)? = found["body"], let status = found["status"]?.int64Value else {
                        throw DomainError.internal("an idempotency record is damaged")
                    }
                    return .replay(status: Int(status), body: body)
                }
                if let until = found.date("lease_until"), until > now { return .inProgress }
                // Its gateway stopped while it ran: take the key over.
                let filter = BSONDocument(["_id": .string(id), "state": "running", "lease_owner": found["lease_owner"] ?? .null])
                let update = BSONDocument(["$set": .document(BSONDocument([
                    "lease_owner": .string(token), "lease_until": .date(now.adding(lease)),
                ]))])
                if try await store.updateOne(in: Self.collection, filter: filter, update: update) == 1 { return .run(token: token) }
                continue
            }
            let marker = running(scope, id: id, requestHash: requestHash, token: token, now: now)
            if let found {
                // Expired, not yet removed by the TTL index: replaced in place.
                let filter = BSONDocument(["_id": .string(id), "expires_at": found["expires_at"] ?? .null])
                if try await store.replaceOne(in: Self.collection, filter: filter, replacement: marker) == 1 {
                    return .run(token: token)
                }
                continue
            }
            if try await store.insertIfAbsent(marker, into: Self.collection) { return .run(token: token) }
        }
        return .inProgress
    }

    /// Marks the claim `token` completed with the answer, in `transaction` (the request's
    /// own, before it commits). Another request having taken the key over (a lease that ran
    /// out) is `idempotency_in_progress`, and the transaction is not to be committed.
    func complete(
        _ scope: Scope, token: String, status: Int, body: [UInt8], in transaction: StoreTransaction
    ) async throws {
        let filter = BSONDocument(["_id": .string(scope.id), "state": "running", "lease_owner": .string(token)])
        let update = BSONDocument([
            "$set": .document(BSONDocument([
                "state": "done", "status": .int32(Int32(status)), "body": .binary(subtype: 0, data: body),
                "completed_at": .date(.now()),
            ])),
            "$unset": .document(BSONDocument(["lease_owner": "", "lease_until": ""])),
        ])
        let matched = try await store.updateOne(in: Self.collection, filter: filter, update: update, transaction: transaction)
        guard matched == 1 else {
            throw DomainError.idempotencyInProgress("another request with this Idempotency-Key is running")
        }
    }

    /// Gives the key back after a request that wrote nothing; a completed record is kept.
    func release(_ scope: Scope, token: String) async {
        let filter = BSONDocument(["_id": .string(scope.id), "state": "running", "lease_owner": .string(token)])
        _ = try? await WriteFence.$current.withValue(nil) { try await store.deleteOne(in: Self.collection, filter: filter) }
    }

    private func running(_ scope: Scope, id: String, requestHash: String, token: String, now: BSONDate) -> BSONDocument {
        BSONDocument([
            "_id": .string(id), "tenant_id": .string(scope.tenantId), "user_id": .string(scope.userId),
            "method": .string(scope.method), "path": .string(scope.path), "key": .string(scope.key),
            "request_hash": .string(requestHash), "state": "running", "lease_owner": .string(token),
            "lease_until": .date(now.adding(lease)), "created_at": .date(now), "expires_at": .date(now.adding(ttl)),
        ])
    }

    /// The TTL index, made once per process before the first key (not at start-up: a gateway
    /// whose clients send no keys has no use for the collection).
    private func ensureIndex() async throws {
        if index.withLockedValue({ $0 }) { return }
        try await store.createIndex(
            on: Self.collection, keys: BSONDocument(["expires_at": .int32(1)]), name: "pm_idempotency_expiry",
            expireAfterSeconds: 0)
        index.withLockedValue { $0 = true }
    }
}

private extension BSONDocument {
    func date(_ key: String) -> BSONDate? {
        if case .date(let value)? = self[key] { value } else { nil }
    }

    func string(_ key: String) -> String? {
        if case .string(let value)? = self[key] { value } else { nil }
    }
}
