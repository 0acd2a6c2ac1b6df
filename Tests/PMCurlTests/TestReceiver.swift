import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PMTestSupport

/// A small HTTP server on 127.0.0.1 for the curl tests: `/status/{code}` answers that
/// status, `/sleep/{ms}` answers 200 after that long, `/echo` returns the request body and
/// headers it saw (as `name: value` lines, then a blank line, then the body).
final class TestReceiver: Sendable {
    private let task = NIOLockedValueBox<Task<Void, any Error>?>(nil)
    private let sleeping: NIOLockedValueBox<(now: Int, most: Int)>
    let port: Int

    private init(port: Int, task: Task<Void, any Error>, sleeping: NIOLockedValueBox<(now: Int, most: Int)>) {
        self.port = port
        self.sleeping = sleeping
        self.task.withLockedValue { $0 = task }
    }

    /// The most `/sleep` calls that were in flight at once.
    var mostSleeping: Int { sleeping.withLockedValue { $0.most } }

    static func start() async throws -> TestReceiver {
        let sleeping = NIOLockedValueBox((now: 0, most: 0))
        let router = Router()
        router.post("status/{code}") { _, context -> Response in
            Response(status: .init(code: Int(context.parameters.get("code") ?? "200") ?? 200))
        }
        router.post("sleep/{ms}") { _, context -> Response in
            sleeping.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { sleeping.withLockedValue { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(Int(context.parameters.get("ms") ?? "0") ?? 0))
            return Response(status: .ok)
        }
        router.on("echo", method: .patch) { request, _ in try await echo(request) }
        router.post("echo") { request, _ in try await echo(request) }
        let (port, task) = try await LocalHTTPServer.start(router)
        return TestReceiver(port: port, task: task, sleeping: sleeping)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() async {
        let task = task.withLockedValue { $0 }
        task?.cancel()
        _ = try? await task?.value
    }

    private static func echo(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var text = "method: \(request.method.rawValue)\n"
        for field in request.headers { text += "\(field.name.canonicalName): \(field.value)\n" }
        text += "\n" + String(buffer: body)
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

