import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import PMBSON
import PMTestSupport

/// A stand-in for the gateway's idempotency keys (docs/API.md, "Client commands") on
/// 127.0.0.1, for client tests that need faults the real stack cannot make on demand.
/// `POST /{collection}/batch` creates documents (a negative `price` fails with
/// `schema_validation`), `POST /batch` answers a fixed mixed-batch result. A key seen with
/// the same body gets the stored answer with `Idempotent-Replayed: true`, with another
/// body 422 `idempotency_key_reused`, while its first request runs 409
/// `idempotency_in_progress`. `fault` can make any attempt go wrong.
final class FakeGateway: Sendable {
    enum Fault: Sendable {
        case none
        /// 503 `unavailable`; nothing is written.
        case unavailable
        /// Written and recorded, then answered 503 `outcome_unknown`.
        case outcomeUnknown
        /// Written, answered and recorded only after this long (longer than the client's
        /// timeout): until then the key is in progress.
        case slowAnswer(Duration)
        /// Written and recorded, never answered until `release()`.
        case hang
    }

    /// One request to a batch route.
    struct Call: Sendable {
        var path: String
        var key: String?
        /// Rows `first-last` from the key, when it is an import key.
        var rows: String?
        var documents: Int
        var body: [UInt8]
    }

    private struct Record: Sendable {
        var body: [UInt8]
        var answer: (status: Int, body: [UInt8])?
    }

    private struct State {
        var calls: [Call] = []
        var records: [String: Record] = [:]
        var stored: [BSONDocument] = []
        var fault: @Sendable (Call, _ attempt: Int) -> Fault = { _, _ in .none }
        var maxBatchSize = 1000
        var released = false
        var task: Task<Void, any Error>?
        var port = 0
    }

    private let state = NIOLockedValueBox(State())

    var url: String { "http://127.0.0.1:\(state.withLockedValue { $0.port })" }
    var calls: [Call] { state.withLockedValue { $0.calls } }
    /// The documents written, in order.
    var stored: [BSONDocument] { state.withLockedValue { $0.stored } }

    func fault(_ plan: @escaping @Sendable (Call, _ attempt: Int) -> Fault) { state.withLockedValue { $0.fault = plan } }
    func maxBatchSize(_ limit: Int) { state.withLockedValue { $0.maxBatchSize = limit } }
    /// Lets every hanging request answer.
    func release() { state.withLockedValue { $0.released = true } }

    static func start() async throws -> FakeGateway {
        let fake = FakeGateway()
        let router = Router()
        router.post("batch") { [fake] request, _ in try await fake.handle(request, path: "/batch") }
        router.post("{collection}/batch") { [fake] request, context in
            try await fake.handle(request, path: "/\(context.parameters.get("collection") ?? "")/batch")
        }
        let (port, task) = try await LocalHTTPServer.start(router)
        fake.state.withLockedValue {
            $0.port = port
            $0.task = task
        }
        return fake
    }

    func stop() async {
        release()
        let task = state.withLockedValue { $0.task }
        task?.cancel()
        _ = try? await task?.value
    }

    private func handle(_ request: Request, path: String) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: 16 << 20))
        let key = HTTPField.Name("Idempotency-Key").flatMap { request.headers[$0] }
        var documents: [BSON] = []
        if let parsed = try? JSONReader.parseDocument(body), case .array(let items)? = parsed["documents"] { documents = items }
        let rows = key.flatMap(Self.rows(ofKey:))
        let call = Call(path: path, key: key, rows: rows, documents: documents.count, body: body)
        let (fault, limit) = state.withLockedValue { state in
            state.calls.append(call)
            let attempt = state.calls.filter { $0.key != nil && $0.key == key }.count
            return (state.fault(call, attempt), state.maxBatchSize)
        }
        // Checked before the key, as the gateway does: a refused request records nothing.
        if documents.count > limit {
            return Self.error(400, "bad_request", "Batch size exceeds maximum limit of \(limit)",
                              details: #","details":{"max_batch_size":\#(limit),"requested":\#(documents.count)}"#)
        }
        if case .unavailable = fault { return Self.error(503, "unavailable", "try again") }
        if let key {
            let earlier = state.withLockedValue { $0.records[key] }
            if let earlier {
                guard earlier.body == body else { return Self.error(422, "idempotency_key_reused", "another body") }
                guard let answer = earlier.answer else {
                    return Self.error(409, "idempotency_in_progress", "still running", retryAfter: true)
                }
                return Self.json(answer.status, answer.body, replayed: true)
            }
            state.withLockedValue { $0.records[key] = Record(body: body) }
        }
        let answer = path == "/batch" ? mixedBatch() : create(documents)
        if case .slowAnswer(let delay) = fault { try? await Task.sleep(for: delay) }
        if let key { state.withLockedValue { $0.records[key]?.answer = answer } }
        switch fault {
        case .none, .unavailable, .slowAnswer: break
        case .outcomeUnknown:
            return Self.error(503, "outcome_unknown", "the write may have been applied; retry with the same Idempotency-Key")
        case .hang:
            let deadline = ContinuousClock.now + .seconds(60)
            while !state.withLockedValue({ $0.released }), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return Self.json(answer.status, answer.body, replayed: false)
    }

    private func create(_ documents: [BSON]) -> (status: Int, body: [UInt8]) {
        var created: [String] = []
        var failed: [String] = []
        state.withLockedValue { state in
            for (index, item) in documents.enumerated() {
                guard case .document(let document) = item else { continue }
                if let price = document["price"], case .int32(let value) = price, value < 0 {
                    failed.append(#"{"index":\#(index),"error":{"code":"schema_validation","message":"price must be at least 0"}}"#)
                    continue
                }
                state.stored.append(document)
                created.append("\"" + String(format: "%024x", state.stored.count) + "\"")
            }
        }
        return (201, Array(#"{"created":[\#(created.joined(separator: ","))],"failed":[\#(failed.joined(separator: ","))]}"#.utf8))
    }

    private func mixedBatch() -> (status: Int, body: [UInt8]) {
        let id = state.withLockedValue { state in
            state.stored.append(BSONDocument(["op": .string("create")]))
            return String(format: "%024x", state.stored.count)
        }
        return (200, Array(#"{"success":true,"total":1,"succeeded":1,"failed":0,"results":[{"index":0,"status":201,"id":"\#(id)"}]}"#.utf8))
    }

    /// `first-last` of `pm-import-<first>-<last>-<digest>`.
    static func rows(ofKey key: String) -> String? {
        let parts = key.split(separator: "-")
        guard parts.count == 5, parts[0] == "pm", parts[1] == "import" else { return nil }
        return "\(parts[2])-\(parts[3])"
    }

    private static func error(_ status: Int, _ code: String, _ message: String, details: String = "", retryAfter: Bool = false) -> Response {
        let body = #"{"error":{"code":"\#(code)","message":"\#(message)"\#(details)},"meta":{"request_id":"fake"}}"#
        var response = json(status, Array(body.utf8), replayed: false)
        if retryAfter { response.headers[.retryAfter] = "1" }
        return response
    }

    private static func json(_ status: Int, _ body: [UInt8], replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed, let name = HTTPField.Name("Idempotent-Replayed") { headers[name] = "true" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
