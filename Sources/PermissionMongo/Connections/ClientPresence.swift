import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Whether the client of a long request is still there: a change by filter written in chunks
/// stops between chunks once its client has closed the connection (docs/API.md, "Update and
/// delete by filter").
///
/// Nothing is read from the connection for this: while a request is answered its connection
/// is not read (the next pipelined request waits in the socket), so the client's close is not
/// seen as an event. The kernel's TCP state shows it: once the client has closed its side the
/// connection leaves ESTABLISHED (CLOSE_WAIT). The connection stays usable for keep-alive.
struct ClientPresence: Sendable {
    /// The presence the chunk loops check, bound by the route for the request's task.
    @TaskLocal static var current: ClientPresence?

    let channel: any Channel

    /// Throws `CancellationError` when the request's task is cancelled, or when the client of
    /// the bound presence has closed its side of the connection or the connection is gone.
    static func check() async throws {
        try Task.checkCancellation()
        if let current, await current.hasLeft() { throw CancellationError() }
    }

    func hasLeft() async -> Bool {
        guard channel.isActive else { return true }
        #if os(Linux)
        guard let socket = channel as? any SocketOptionProvider,
              let info = try? await socket.getTCPInfo().get()
        else { return false }
        return info.tcpi_state != UInt8(TCP_ESTABLISHED)
        #else
        return false
        #endif
    }
}
