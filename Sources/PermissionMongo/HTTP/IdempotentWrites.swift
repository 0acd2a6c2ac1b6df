import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PMBSON

/// Write routes under an `Idempotency-Key` (docs/API.md, "Idempotency"). Without the header a
/// route runs as it is. With it, the key is claimed for the caller (tenant and user), the
/// method and the path, and the route runs in one transaction that also completes the key's
/// record with the answer: the record is stored exactly when the writes are. A 2xx answer
/// commits; any other answer or error aborts and gives the key back, so that a retry runs
/// afresh. The same request again gets the stored answer with `Idempotent-Replayed: true`.
struct IdempotentWrites {
    let gateway: Gateway

    /// A route's answer: what is sent, and what a replay sends again.
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        /// JSON, or empty for no body (204).
        var body: [UInt8]

        static func json(_ status: HTTPResponse.Status, _ document: BSONDocument) -> Reply {
            var bytes = [UInt8]()
            JSONWriter.write(document, into: &bytes)
            return Reply(status: status, body: bytes)
        }

        static let noContent = Reply(status: .noContent, body: [])

        var commits: Bool { (200..<300).contains(status.code) }

        func response(replayed: Bool = false) -> Response {
            var headers: HTTPFields = [:]
            if !body.isEmpty { headers[.contentType] = "application/json; charset=utf-8" }
            if replayed { headers[.idempotentReplayed] = "true" }
            return Response(
                status: status, headers: headers,
                body: body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// Runs `route` for `request` (whose body, if any, is `body`): in the transaction it is
    /// given when the request carries a key, on its own otherwise.
    func respond(
        _ request: Request, caller: Caller, body: ByteBuffer?,
        _ route: @Sendable (StoreTransaction?) async throws -> Reply
    ) async throws -> Response {
        guard let key = try Self.key(request) else { return try await route(nil).response() }
        let scope = IdempotencyRecords.Scope(
            tenantId: caller.tenantId, userId: caller.id, method: request.method.rawValue, path: request.uri.path, key: key)
        let records = gateway.idempotency
        switch try await records.claim(scope, requestHash: Self.hash(query: request.uri.query, body: body)) {
        case .replay(let status, let body):
            return Reply(status: HTTPResponse.Status(code: status), body: body).response(replayed: true)
        case .reused:
            throw DomainError.idempotencyKeyReused(
                "this Idempotency-Key was used with another request; use a new key for a new request")
        case .inProgress:
            throw DomainError.idempotencyInProgress("a request with this Idempotency-Key is still running")
        case .run(let token):
            let reply: Reply
            do {
                reply = try await gateway.store.transaction { transaction in
                    let reply = try await route(transaction)
                    guard reply.commits else { return .abort(reply) }
                    try await records.complete(
                        scope, token: token, status: reply.status.code, body: reply.body, in: transaction)
                    return .commit(reply)
                }
            } catch {
                await records.release(scope, token: token)
                throw error
            }
            guard reply.commits else {
                await records.release(scope, token: token)
                return reply.response()
            }
            gateway.hooks.deliverSoon()
            FaultPoints.afterIdempotentCommit()
            return reply.response()
        }
    }

    /// The request's key: none, or 1 to 255 printable ASCII characters (else 400).
    static func key(_ request: Request) throws -> String? {
        let values = request.headers[values: .idempotencyKey]
        guard let key = values.first else { return nil }
        guard values.count == 1, (1...255).contains(key.utf8.count),
              key.utf8.allSatisfy({ (0x20...0x7E).contains($0) })
        else {
            throw DomainError.invalidRequest("Idempotency-Key must be one value of 1 to 255 printable ASCII characters")
        }
        return key
    }

    /// What makes two requests with one key the same request: the query and the body.
    static func hash(query: String?, body: ByteBuffer?) -> String {
        var hasher = SHA256()
        hasher.update(data: Array((query ?? "").utf8) + [0])
        if let body { body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A test's way to stop the process between the commit of a request with a key and its
/// answer, as a crash would (`PM_FAULT_EXIT_AFTER_IDEMPOTENT_COMMIT=1`; never set in service).
enum FaultPoints {
    private static let exitAfterIdempotentCommit =
        ProcessInfo.processInfo.environment["PM_FAULT_EXIT_AFTER_IDEMPOTENT_COMMIT"] == "1"

    static func afterIdempotentCommit() {
        if exitAfterIdempotentCommit { _exit(137) }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
