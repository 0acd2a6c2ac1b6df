import Foundation
import Logging
import MCP

/// Standard input/output for the MCP server, counting the requests that came in and the
/// answers that went out. The SDK answers each request in a task of its own, which may not
/// even have started when standard input closes; `waitForAnswers` lets the server stop only
/// once every request read has been answered.
actor AnsweringTransport: Transport {
    private let inner: StdioTransport
    private var requests = 0
    private var answers = 0

    nonisolated var logger: Logger { inner.logger }

    init(logger: Logger) {
        inner = StdioTransport(logger: logger)
    }

    func connect() async throws { try await inner.connect() }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        try await inner.send(data)
        answers += Self.count(in: data) { $0["id"] != nil && ($0["result"] != nil || $0["error"] != nil) }
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        let upstream = inner
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await data in await upstream.receive() {
                        await self.received(data)
                        continuation.yield(data)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func received(_ data: Data) {
        requests += Self.count(in: data) { $0["id"] != nil && $0["method"] != nil }
    }

    /// Returns once every request read so far has its answer, or after `limit`.
    func waitForAnswers(limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while answers < requests, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// JSON-RPC messages (one, or a batch array) in `data` that match `test`.
    private static func count(in data: Data, where test: ([String: Any]) -> Bool) -> Int {
        guard let value = try? JSONSerialization.jsonObject(with: data) else { return 0 }
        if let message = value as? [String: Any] { return test(message) ? 1 : 0 }
        if let batch = value as? [[String: Any]] { return batch.filter(test).count }
        return 0
    }
}
