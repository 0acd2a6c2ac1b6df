import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PMBSON
import PMTestSupport

/// A hook receiver for the tests: a Hummingbird server on 127.0.0.1 that records every
/// call and answers what it is told per path, or per document `name`:
/// a status (and a body, per path), after an optional sleep. It notes when each call
/// arrived and was answered, and how many calls to a path were in flight at most.
/// Stopped, its port refuses connections; started again on the same port, it answers again.
final class HooksReceiver: Sendable {
    struct Call: Sendable {
        var path: String
        var headers: HTTPFields
        var body: [UInt8]
        var received = ContinuousClock.now
        var json: BSONDocument { (try? JSONReader.parseDocument(body)) ?? BSONDocument() }
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    }

    private struct State {
        var calls: [Call] = []
        var statusByPath: [String: Int] = [:]
        var statusByName: [String: Int] = [:]
        var delayByPath: [String: Duration] = [:]
        var bodyByPath: [String: String] = [:]
        var answered: [(path: String, at: ContinuousClock.Instant)] = []
        var inFlight: [String: Int] = [:]
        var mostInFlight: [String: Int] = [:]
        var task: Task<Void, any Error>?
        var port = 0
    }

    private let state = NIOLockedValueBox(State())

    var port: Int { state.withLockedValue { $0.port } }
    var calls: [Call] { state.withLockedValue { $0.calls } }
    func calls(to path: String) -> [Call] { calls.filter { $0.path == path } }
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func answer(_ status: Int, at path: String) { state.withLockedValue { $0.statusByPath[path] = status } }
    func answer(_ status: Int, forName name: String) { state.withLockedValue { $0.statusByName[name] = status } }
    func sleep(_ delay: Duration, at path: String) { state.withLockedValue { $0.delayByPath[path] = delay } }
    /// The body of every answer at `path` (JSON).
    func answer(body: String, at path: String) { state.withLockedValue { $0.bodyByPath[path] = body } }
    /// When the calls to `path` were answered, in order.
    func answered(at path: String) -> [ContinuousClock.Instant] {
        state.withLockedValue { $0.answered.filter { $0.path == path }.map(\.at) }
    }
    /// The most calls to `path` that were in flight at once.
    func mostInFlight(at path: String) -> Int { state.withLockedValue { $0.mostInFlight[path] ?? 0 } }

    /// Starts serving on `port` (0: a free one) and returns the port.
    @discardableResult
    func start(port: Int = 0) async throws -> Int {
        // The test backend is a child process that inherits open sockets: started after
        // this listener, it would keep the port open after `stop()` (calls then hang
        // instead of being refused, and a restart finds the port taken). Start it first.
        _ = try await TestBackend.uri()
        let router = Router()
        router.post("{path}") { [self] request, _ in try await handle(request) }
        let (bound, task) = try await LocalHTTPServer.start(router, port: port)
        state.withLockedValue {
            $0.task = task
            $0.port = bound
        }
        return bound
    }

    /// Starts on a free port below the kernel's ephemeral range (for tests that stop and
    /// start the receiver again): a port in that range, once free, can become the source
    /// port of an outgoing connection, which then blocks a restart or even connects to
    /// itself (a hook call that hangs instead of being refused).
    @discardableResult
    func startOnStablePort() async throws -> Int {
        var lastError: (any Error)?
        for _ in 0..<20 {
            do {
                return try await start(port: Int.random(in: 20_000..<32_000))
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ReceiverError(message: "no free port")
    }

    /// Starts again on the port it had, retrying briefly while the port is still held.
    func restart() async throws {
        let port = port
        var attempt = 0
        while true {
            do {
                try await start(port: port)
                return
            } catch where attempt < 20 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Stops serving; the port then refuses connections.
    func stop() async {
        let task = state.withLockedValue { state -> Task<Void, any Error>? in
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
        _ = try? await task?.value
    }

    /// Waits until `count` calls reached `path` (or `timeout` passed); returns them.
    /// The default wait covers one lost claim: a delivery claimed but not settled (say, under
    /// heavy parallel load) is claimed again when its lease (hook timeout + 10 s) runs out.
    func waitForCalls(to path: String, count: Int, timeout: Duration = .seconds(40)) async throws -> [Call] {
        let deadline = ContinuousClock.now + timeout
        while calls(to: path).count < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return calls(to: path)
    }

    private func handle(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let call = Call(path: request.uri.path, headers: request.headers, body: Array(buffer: body))
        let name = (call.json.document("document") ?? call.json.document("before"))?.string("name")
        let (status, delay, answer) = state.withLockedValue { state -> (Int, Duration?, String?) in
            state.calls.append(call)
            state.inFlight[call.path, default: 0] += 1
            state.mostInFlight[call.path] = max(state.mostInFlight[call.path] ?? 0, state.inFlight[call.path] ?? 0)
            let status = name.flatMap { state.statusByName[$0] } ?? state.statusByPath[call.path] ?? 200
            return (status, state.delayByPath[call.path], state.bodyByPath[call.path])
        }
        defer {
            state.withLockedValue { state in
                state.inFlight[call.path, default: 1] -= 1
                state.answered.append((call.path, .now))
            }
        }
        if let delay { try await Task.sleep(for: delay) }
        guard let answer else { return Response(status: .init(code: status)) }
        return Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
    }
}

struct ReceiverError: Error {
    var message: String
}
