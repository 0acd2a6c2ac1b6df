import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// A small HTTP server on 127.0.0.1 for the curl tests: `/status/{code}` answers that
/// status, `/sleep/{ms}` answers 200 after that long, `/echo` returns the request body and
/// headers it saw (as `name: value` lines, then a blank line, then the body).
final class TestReceiver: Sendable {
    private let task = NIOLockedValueBox<Task<Void, any Error>?>(nil)
    let port: Int

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task.withLockedValue { $0 = task }
    }

    static func start() async throws -> TestReceiver {
        let router = Router()
        router.post("status/{code}") { _, context -> Response in
            Response(status: .init(code: Int(context.parameters.get("code") ?? "200") ?? 200))
        }
        router.post("sleep/{ms}") { _, context -> Response in
            try await Task.sleep(for: .milliseconds(Int(context.parameters.get("ms") ?? "0") ?? 0))
            return Response(status: .ok)
        }
        router.on("echo", method: .patch) { request, _ in try await echo(request) }
        router.post("echo") { request, _ in try await echo(request) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger)
        let task = Task {
            defer { continuation.finish() }  // could not bind: `next()` below returns nil
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            do { try await task.value } catch { throw ReceiverError(message: "the test receiver did not start: \(error)") }
            throw ReceiverError(message: "the test receiver stopped before it started")
        }
        return TestReceiver(port: port, task: task)
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

private let quietLogger: Logger = {
    var logger = Logger(label: "test-receiver")
    logger.logLevel = .critical
    return logger
}()

struct ReceiverError: Error {
    var message: String
}
