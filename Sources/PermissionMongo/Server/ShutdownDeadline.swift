import Foundation
import NIOConcurrencyHelpers

/// When requests still running after SIGTERM or SIGINT stop being waited for:
/// `server.shutdown_grace_ms` after the shutdown began (docs/API.md, "server"). Requests
/// register to hear of it (`ShutdownDeadlineResponder`); one that registers after it passed
/// hears at once.
final class ShutdownDeadline: Sendable {
    let graceMs: Int

    private struct State {
        var begun = false
        var passed = false
        var lastToken = 0
        var listeners: [Int: @Sendable () -> Void] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init(graceMs: Int) {
        self.graceMs = graceMs
    }

    /// Starts the countdown; later calls change nothing.
    func begin() {
        let first = state.withLockedValue { state in
            defer { state.begun = true }
            return !state.begun
        }
        guard first else { return }
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: Double(graceMs) / 1000)
            pass()
        }
    }

    /// `listener` is called once, when the deadline passes (at once if it has); nil then,
    /// else a token for `forget`.
    func onPass(_ listener: @escaping @Sendable () -> Void) -> Int? {
        let token = state.withLockedValue { state -> Int? in
            guard !state.passed else { return nil }
            state.lastToken += 1
            state.listeners[state.lastToken] = listener
            return state.lastToken
        }
        if token == nil { listener() }
        return token
    }

    func forget(_ token: Int?) {
        guard let token else { return }
        state.withLockedValue { _ = $0.listeners.removeValue(forKey: token) }
    }

    private func pass() {
        let listeners = state.withLockedValue { state in
            state.passed = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener() }
    }
}
