import Hummingbird
import NIOConcurrencyHelpers
import PMTestSupport

/// An identity provider's key endpoint on 127.0.0.1: serves `GET /jwks.json` with whatever
/// `publish` last set, counts the fetches, and can be stopped to play a provider that is down.
final class TestJWKSServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>
    private let state: NIOLockedValueBox<(body: String, status: Int, fetches: Int)>

    var url: String { "http://127.0.0.1:\(port)/jwks.json" }
    var fetches: Int { state.withLockedValue { $0.fetches } }

    init(serving body: String, status: Int = 200) async throws {
        let state = NIOLockedValueBox((body: body, status: status, fetches: 0))
        let router = Router()
        router.get("jwks.json") { _, _ -> Response in
            let (body, status) = state.withLockedValue { state in
                state.fetches += 1
                return (state.body, state.status)
            }
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        (port, task) = try await LocalHTTPServer.start(router)
        self.state = state
    }

    func publish(_ body: String, status: Int = 200) {
        state.withLockedValue { $0 = (body, status, $0.fetches) }
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
