import NIOConcurrencyHelpers

/// Whether a request has sent a write that may be applied, and a way to let none start
/// after its answer was decided: a gateway answering a request it stops waiting for (at
/// the shutdown deadline) seals its fence. The answer can then say truthfully whether
/// nothing was written (no write was admitted) or a write may have been applied.
///
/// Bound per request (`WriteFence.current`); writes admit themselves just before they are
/// sent, once a server was selected for them: a commit (`OpenTransaction.commit`), and a
/// write outside any transaction. Writes inside a transaction need no admission: nothing
/// of them is applied before the commit.
public final class WriteFence: Sendable {
    @TaskLocal public static var current: WriteFence?

    private struct State {
        var sent = false
        var sealed = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Called right before a write is sent; throws (and the write is not sent) once sealed.
    public func admitWrite() throws {
        try state.withLockedValue { state in
            guard !state.sealed else { throw MongoError.closed("the request was already answered") }
            state.sent = true
        }
    }

    /// Lets no further write start; whether one was sent before (and may have been applied).
    public func seal() -> Bool {
        state.withLockedValue { state in
            state.sealed = true
            return state.sent
        }
    }
}
