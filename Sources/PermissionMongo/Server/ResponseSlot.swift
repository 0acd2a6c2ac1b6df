import Hummingbird
import NIOConcurrencyHelpers

/// The answer to one request, from whichever gives it first (`ShutdownDeadlineResponder`):
/// the request's own work, or the shutdown deadline. Later answers are dropped.
final class ResponseSlot: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Response, any Error>)
        case filled(Result<Response, any Error>)
        case answered
    }

    private let state = NIOLockedValueBox(State.empty)

    /// Gives the answer, unless one was given already.
    func fill(_ result: Result<Response, any Error>) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Response, any Error>? in
            switch state {
            case .empty:
                state = .filled(result)
                return nil
            case .waiting(let continuation):
                state = .answered
                return continuation
            case .filled, .answered:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    /// Waits for the answer; call once.
    func answer() async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLockedValue { state -> Result<Response, any Error>? in
                guard case .filled(let result) = state else {
                    state = .waiting(continuation)
                    return nil
                }
                state = .answered
                return result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
