import NIOCore

/// First on a client connection's pipeline, before the HTTP parser: tells the
/// connection's `ConnectionGuard` that bytes arrived: a request's first byte ends the idle
/// timeout and starts the header timeout.
final class RequestBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connectionGuard: ConnectionGuard

    init(_ connectionGuard: ConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connectionGuard.bytesArrived()
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestBytesObserver: Sendable {}
