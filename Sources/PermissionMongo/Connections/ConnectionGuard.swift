import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Sits between the HTTP/1 codec and the application on every client connection and keeps
/// what a client sees in the contract (docs/API.md, "Connections" and "Refused before
/// routing"):
///
/// - the timeouts of `ConnectionDeadlines`: late headers are answered 408
///   `request_timeout`, a late body makes the request's own body read fail, so the route
///   answers 408 in its envelope; an idle connection is closed without an answer;
/// - a request the parser refuses (`HTTPParserError`) or sent with a transfer coding other
///   than `chunked` is answered here, in the error envelope with an `X-Request-Id`, after the
///   answers to earlier pipelined requests; a malformed body of a request being answered
///   fails that request's body read, so its route answers 400 in its envelope;
/// - after such an answer nothing more is read or written on the connection: its output is
///   closed, its input dropped until the client closes (or the linger time passed).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let settings: ConnectionSettings
    private let logger: Logger
    private var deadlines: ConnectionDeadlines
    private var context: ChannelHandlerContext?
    private var timer: (task: Scheduled<Void>, deadline: NIODeadline)?
    /// The head of the oldest unanswered request's answer is written, its end not yet.
    private var answerBegun = false
    /// The answer in flight is the connection's last (a malformed or late body).
    private var closeAfterAnswer = false
    /// A refusal that waits for the answers to earlier pipelined requests.
    private var pendingRefusal: (error: GatewayError, requestId: String)?
    /// Nothing more is passed to the application.
    private var inputDropped = false
    /// Nothing more is written: the last answer is out.
    private var outputClosed = false

    init(settings: ConnectionSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        deadlines = ConnectionDeadlines(timeouts: .init(settings), openedAt: .now())
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        armTimer(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        self.context = nil
    }

    /// Called by `RequestBytesObserver` for every read, before the parser sees the bytes.
    func bytesArrived() {
        guard let context else { return }
        deadlines.bytesArrived(now: .now())
        armTimer(context)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !inputDropped else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let refusal = TransferCoding.refusal(head.headerFields) {
                refuse(refusal, requestId: RequestId.of(head.headerFields), context: context)
                return
            }
            deadlines.headRead(now: .now())
        case .body:
            break
        case .end:
            deadlines.bodyRead(now: .now())
        }
        armTimer(context)
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Refused, timed out or closing already: what the parser says of the rest is moot.
        guard !inputDropped else { return }
        switch deadlines.phase {
        case .readingBody, .bodyTimedOut:
            // The body of the newest request is malformed: the request fails, the connection
            // ends with its answer.
            inputDropped = true
            if answerOfNewestBegun {
                logger.debug("malformed request body after its answer", metadata: ["error": "\(parserError)"])
                finishAfterAnswer(context)
            } else {
                closeAfterAnswer = true
                context.fireErrorCaught(error)
            }
        default:
            if parserError == .invalidEOFState {
                // The client closed in the middle of a head: nobody reads an answer.
                closeNow(context)
                return
            }
            refuse(GatewayError(refused: parserError), requestId: RequestId.make(), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if outputClosed, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !outputClosed else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            answerBegun = true
            if closeAfterAnswer, deadlines.requestsInFlight <= 1 {
                head.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
        case .body:
            break
        case .end:
            answerBegun = false
            deadlines.answerWritten(now: .now())
            if deadlines.requestsInFlight == 0 {
                if let pending = pendingRefusal {
                    context.write(data, promise: promise)
                    writeRefusal(pending.error, requestId: pending.requestId, context: context)
                    return
                }
                if closeAfterAnswer {
                    context.write(data, promise: promise)
                    finish(context)
                    return
                }
            }
            context.write(data, promise: promise)
            armTimer(context)
            return
        }
        context.write(data, promise: promise)
    }

    // MARK: Refusals and closing

    /// The answer to the newest request has begun (or was written whole).
    private var answerOfNewestBegun: Bool {
        deadlines.requestsInFlight == 0 || (deadlines.requestsInFlight == 1 && answerBegun)
    }

    /// Answers `error` once the earlier requests are answered; nothing more is read.
    private func refuse(_ error: GatewayError, requestId: String, context: ChannelHandlerContext) {
        inputDropped = true
        logger.info(
            "request refused before routing",
            metadata: ["request_id": .string(requestId), "status": .stringConvertible(error.status.code), "reason": .string(error.message)])
        if deadlines.requestsInFlight > 0 {
            pendingRefusal = (error, requestId)
        } else {
            writeRefusal(error, requestId: requestId, context: context)
        }
    }

    private func writeRefusal(_ error: GatewayError, requestId: String, context: ChannelHandlerContext) {
        pendingRefusal = nil
        for part in RefusalResponse.parts(error, requestId: requestId) {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        finish(context)
    }

    /// After the answer in flight: closes at once when it was written whole.
    private func finishAfterAnswer(_ context: ChannelHandlerContext) {
        if deadlines.requestsInFlight == 0 {
            finish(context)
        } else {
            closeAfterAnswer = true
        }
    }

    /// The last answer is written: flush it, close the output, drop the input until the
    /// client closes or the linger time passed.
    private func finish(_ context: ChannelHandlerContext) {
        outputClosed = true
        inputDropped = true
        deadlines.closing(now: .now())
        armTimer(context)
        context.flush()
        let closed = context.eventLoop.makePromise(of: Void.self)
        closed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.close(mode: .output, promise: closed)
    }

    /// Closes without an answer.
    private func closeNow(_ context: ChannelHandlerContext) {
        outputClosed = true
        inputDropped = true
        context.close(promise: nil)
    }

    // MARK: Timer

    /// One scheduled task at a time, at the earliest deadline; a task that fires early
    /// (the deadline moved on) schedules the next.
    private func armTimer(_ context: ChannelHandlerContext) {
        guard let deadline = deadlines.deadline else { return }
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            deadlineReached(context)
        }
        timer = (task, deadline)
    }

    private func deadlineReached(_ context: ChannelHandlerContext) {
        switch deadlines.expire(now: .now()) {
        case nil:
            armTimer(context)
        case .close:
            logger.debug("connection closed", metadata: ["phase": "\(deadlines.phase)"])
            closeNow(context)
        case .refuseHead:
            refuse(.requestTimeout("request headers", limitMs: settings.headerTimeoutMs, key: "header_timeout_ms"),
                   requestId: RequestId.make(), context: context)
        case .refuseBody:
            inputDropped = true
            if answerOfNewestBegun {
                finishAfterAnswer(context)
            } else {
                closeAfterAnswer = true
                armTimer(context)
                context.fireErrorCaught(RequestBodyTimeout(limitMs: settings.bodyTimeoutMs))
            }
        }
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
