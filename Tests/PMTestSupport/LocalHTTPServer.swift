import Hummingbird
import Logging

/// Runs a Hummingbird router on 127.0.0.1 for tests that need a real HTTP peer (hook
/// receivers): started on `port` (0 = any free one), running until its task is cancelled.
public enum LocalHTTPServer {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `router` and returns the port it bound and the task that serves it.
    public static func start(
        _ router: Router<BasicRequestContext>, port: Int = 0
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }  // could not bind: `next()` below returns nil
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            do { try await task.value } catch { throw StartError(description: "the test server did not start: \(error)") }
            throw StartError(description: "the test server stopped before it started")
        }
        return (bound, task)
    }
}
