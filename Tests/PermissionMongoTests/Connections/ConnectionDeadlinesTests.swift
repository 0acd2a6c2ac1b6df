import NIOCore
import Testing
@testable import PermissionMongo

/// The connection timeouts as a state machine, on given instants: header 1 s, body 2 s,
/// idle 3 s.
@Suite struct ConnectionDeadlinesTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func at(_ milliseconds: Int64) -> NIODeadline { start + .milliseconds(milliseconds) }

    func opened() -> ConnectionDeadlines {
        ConnectionDeadlines(timeouts: .init(header: .seconds(1), body: .seconds(2), idle: .seconds(3)), openedAt: start)
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
        var deadlines = opened()
        #expect(deadlines.phase == .idle)
        #expect(deadlines.expire(now: at(2999)) == nil)
        #expect(deadlines.expire(now: at(3000)) == .close)
    }

    @Test func lateHeadersAreRefusedEvenWhileBytesTrickleIn() {
        var deadlines = opened()
        deadlines.bytesArrived(now: at(2000))
        for ms in stride(from: Int64(2100), through: 2900, by: 100) { deadlines.bytesArrived(now: at(ms)) }
        #expect(deadlines.expire(now: at(2999)) == nil)
        #expect(deadlines.expire(now: at(3000)) == .refuseHead)
    }

    @Test func theBodyHasItsOwnTimeoutFromTheHeadersAsAWhole() {
        var deadlines = opened()
        deadlines.bytesArrived(now: at(0))
        deadlines.headRead(now: at(500))
        for ms in stride(from: Int64(600), through: 2400, by: 100) { deadlines.bytesArrived(now: at(ms)) }
        #expect(deadlines.expire(now: at(2499)) == nil)
        #expect(deadlines.expire(now: at(2500)) == .refuseBody)
        // Told, the gateway answers within 10 s, else the connection closes.
        #expect(deadlines.phase == .bodyTimedOut)
        #expect(deadlines.expire(now: at(12_499)) == nil)
        #expect(deadlines.expire(now: at(12_500)) == .close)
    }

    @Test func nothingRunsOutWhileTheGatewayAnswers() {
        var deadlines = opened()
        deadlines.headRead(now: at(100))
        deadlines.bodyRead(now: at(100))
        #expect(deadlines.deadline == nil)
        #expect(deadlines.expire(now: at(60_000)) == nil)
        deadlines.answerWritten(now: at(60_000))
        #expect(deadlines.phase == .idle)
        #expect(deadlines.expire(now: at(62_999)) == nil)
        #expect(deadlines.expire(now: at(63_000)) == .close)
    }

    @Test func aKeptAliveConnectionsNextRequestGetsTheHeaderTimeoutFromItsFirstByte() {
        var deadlines = opened()
        deadlines.headRead(now: at(0))
        deadlines.bodyRead(now: at(0))
        deadlines.answerWritten(now: at(10))
        deadlines.bytesArrived(now: at(2000))
        #expect(deadlines.phase == .readingHead)
        #expect(deadlines.expire(now: at(3000)) == .refuseHead)
    }

    @Test func bytesOfTheNextRequestWhileAnsweringStartItsHeaderTimeoutWhenTheAnswerIsOut() {
        var deadlines = opened()
        deadlines.headRead(now: at(0))
        deadlines.bodyRead(now: at(0))
        deadlines.bytesArrived(now: at(100))
        deadlines.answerWritten(now: at(5000))
        #expect(deadlines.phase == .readingHead)
        #expect(deadlines.expire(now: at(6000)) == .refuseHead)
    }

    @Test func pipelinedRequestsWaitForTheLastAnswer() {
        var deadlines = opened()
        deadlines.headRead(now: at(0))
        deadlines.bodyRead(now: at(0))
        deadlines.headRead(now: at(1))
        deadlines.bodyRead(now: at(1))
        #expect(deadlines.requestsInFlight == 2)
        deadlines.answerWritten(now: at(10))
        #expect(deadlines.phase == .answering(nextStarted: false))
        deadlines.answerWritten(now: at(20))
        #expect(deadlines.phase == .idle)
    }

    @Test func aBodyReadAfterItsAnswerLeavesTheConnectionIdle() {
        var deadlines = opened()
        deadlines.headRead(now: at(0))
        deadlines.answerWritten(now: at(10))
        #expect(deadlines.phase == .readingBody)
        deadlines.bodyRead(now: at(500))
        #expect(deadlines.phase == .idle)
        #expect(deadlines.expire(now: at(3500)) == .close)
    }

    @Test func aClosingConnectionLingersThenCloses() {
        var deadlines = opened()
        deadlines.closing(now: at(0))
        deadlines.headRead(now: at(10))
        #expect(deadlines.phase == .closing)
        #expect(deadlines.expire(now: at(1999)) == nil)
        #expect(deadlines.expire(now: at(2000)) == .close)
    }
}
