import NIOCore

/// What a client connection waits for and until when (docs/API.md, "Connections"): with no
/// request under way, new or kept alive, the first byte of one (`server.idle_timeout_ms`);
/// then its request line and headers (`header_timeout_ms`, from that first byte) and its
/// body (`body_timeout_ms`, from the headers). A trickle of bytes extends neither. While the
/// gateway works on a request nothing runs out. Pure: the time is given with every event.
struct ConnectionDeadlines {
    struct Timeouts: Sendable, Equatable {
        var header: TimeAmount
        var body: TimeAmount
        var idle: TimeAmount
        /// After a refusal the output is closed at once; the input is read (and dropped)
        /// this long, so the refusal is not lost to a reset, then the connection is closed.
        var linger: TimeAmount = .seconds(2)
        /// How long the gateway's answer to a late body is awaited before the connection is
        /// closed without one (a route that never reads its body answers in its own time).
        var lateBodyAnswer: TimeAmount = .seconds(10)

        init(header: TimeAmount, body: TimeAmount, idle: TimeAmount) {
            self.header = header
            self.body = body
            self.idle = idle
        }

        init(_ settings: ConnectionSettings) {
            self.init(
                header: .milliseconds(Int64(settings.headerTimeoutMs)), body: .milliseconds(Int64(settings.bodyTimeoutMs)),
                idle: .milliseconds(Int64(settings.idleTimeoutMs)))
        }
    }

    enum Phase: Equatable {
        /// Request line and headers, from their first byte.
        case readingHead
        case readingBody
        /// Every request read, an answer pending; `nextStarted` once a byte of the next arrived.
        case answering(nextStarted: Bool)
        /// No request under way: a new connection, or a kept-alive one between requests.
        case idle
        /// The body ran out of time and the gateway was told; it answers, else the
        /// connection is closed after `lateBodyAnswer`.
        case bodyTimedOut
        /// Refused or answered for the last time: only the input is still read, and dropped.
        case closing
    }

    /// What to do with a connection whose deadline passed.
    enum Expiry: Equatable {
        /// Close without an answer: idle, or the request was answered already.
        case close
        /// The headers are late: answer 408 and close.
        case refuseHead
        /// The body is late: answer 408 unless an answer was begun, then close.
        case refuseBody
    }

    let timeouts: Timeouts
    private(set) var phase: Phase = .idle
    private(set) var deadline: NIODeadline?
    /// Requests whose head was read and whose answer is not written to its end.
    private(set) var requestsInFlight = 0

    init(timeouts: Timeouts, openedAt now: NIODeadline) {
        self.timeouts = timeouts
        deadline = now + timeouts.idle
    }

    mutating func bytesArrived(now: NIODeadline) {
        switch phase {
        case .idle: expect(.readingHead, for: timeouts.header, now: now)
        case .answering(nextStarted: false): phase = .answering(nextStarted: true)
        default: break
        }
    }

    mutating func headRead(now: NIODeadline) {
        guard phase != .closing else { return }
        requestsInFlight += 1
        expect(.readingBody, for: timeouts.body, now: now)
    }

    mutating func bodyRead(now: NIODeadline) {
        switch phase {
        case .readingBody, .bodyTimedOut:
            if requestsInFlight > 0 {
                phase = .answering(nextStarted: false)
                deadline = nil
            } else {
                // Answered before its body was read (say, a 401): the connection waits for the next.
                expect(.idle, for: timeouts.idle, now: now)
            }
        default: break
        }
    }

    mutating func answerWritten(now: NIODeadline) {
        requestsInFlight = max(0, requestsInFlight - 1)
        guard requestsInFlight == 0, case .answering(let nextStarted) = phase else { return }
        if nextStarted {
            expect(.readingHead, for: timeouts.header, now: now)
        } else {
            expect(.idle, for: timeouts.idle, now: now)
        }
    }

    /// The connection answered for the last time (or refused a request): close it once the
    /// client closed its side or after the linger time.
    mutating func closing(now: NIODeadline) {
        expect(.closing, for: timeouts.linger, now: now)
    }

    /// What the passing of the deadline means at `now`; nil when it did not pass.
    mutating func expire(now: NIODeadline) -> Expiry? {
        guard let deadline, now >= deadline else { return nil }
        switch phase {
        case .readingHead:
            return .refuseHead
        case .readingBody:
            expect(.bodyTimedOut, for: timeouts.lateBodyAnswer, now: now)
            return .refuseBody
        case .idle, .bodyTimedOut, .closing, .answering:
            self.deadline = nil
            return .close
        }
    }

    private mutating func expect(_ phase: Phase, for timeout: TimeAmount, now: NIODeadline) {
        self.phase = phase
        deadline = now + timeout
    }
}
