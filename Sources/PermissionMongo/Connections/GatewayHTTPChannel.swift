import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with the gateway's connection rules (docs/API.md,
/// "Connections"): a connection beyond `server.max_connections` is closed as soon as it is
/// accepted, before anything is read; the others get a `ConnectionGuard` (timeouts,
/// refusals in the envelope) after the HTTP/1 codec and a `RequestBytesObserver` in front
/// of the parser.
struct GatewayHTTPChannel: ServerChildChannel {
    enum Value: ServerChildChannelValue {
        case http1(HTTP1Channel.Value)
        /// Over the cap: closed already.
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .http1(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    let http1: HTTP1Channel
    let openConnections: OpenConnections

    init(responder: @escaping HTTPChannelHandler.Responder, settings: ConnectionSettings, openConnections: OpenConnections, logger: Logger) {
        self.openConnections = openConnections
        http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(settings: settings, logger: logger)],
                httpDecoderConfiguration: HTTPHeadLimits.decoder))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard openConnections.admit() else {
            logger.debug("connection refused: server.max_connections open", metadata: ["max_connections": "\(openConnections.limit)"])
            channel.close(promise: nil)
            return channel.eventLoop.makeSucceededFuture(.refused(channel))
        }
        let openConnections = openConnections
        channel.closeFuture.whenComplete { _ in openConnections.release() }
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let connectionGuard = try pipeline.handler(type: ConnectionGuard.self)
            try pipeline.addHandler(RequestBytesObserver(connectionGuard), position: .first)
            return .http1(value)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard case .http1(let http1Value) = value else { return }
        await http1.handle(value: http1Value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the gateway's connection rules, counting connections in `openConnections`.
    static func gateway(_ settings: ConnectionSettings, openConnections: OpenConnections, logger: Logger) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatewayHTTPChannel(responder: responder, settings: settings, openConnections: openConnections, logger: logger)
        }
    }
}
