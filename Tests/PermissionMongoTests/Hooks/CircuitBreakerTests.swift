import Testing
@testable import PermissionMongo

/// The circuit of one endpoint and the lanes of the outbox worker, on instants given by
/// the test (no clock is read).
@Suite struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test func opensAfterTheConsecutiveFailuresThenOneProbeDecides() {
        var breaker = CircuitBreaker(threshold: 3, openFor: .seconds(30))
        #expect(breaker.end(probe: false, succeeded: false, now: start) == nil)
        #expect(breaker.end(probe: false, succeeded: true, now: start) == nil)  // a success resets the count
        #expect(breaker.end(probe: false, succeeded: false, now: start) == nil)
        #expect(breaker.end(probe: false, succeeded: false, now: start) == nil)
        #expect(breaker.admits(inFlight: 0, limit: 4, now: start))
        #expect(breaker.end(probe: false, succeeded: false, now: start) == .opened)
        #expect(breaker.state == .open(until: start + .seconds(30)))

        #expect(!breaker.admits(inFlight: 0, limit: 4, now: start + .seconds(29)))
        #expect(breaker.admits(inFlight: 0, limit: 4, now: start + .seconds(30)))
        // Only once the calls from before the opening ended.
        #expect(!breaker.admits(inFlight: 1, limit: 4, now: start + .seconds(30)))
        let probe = breaker.start(now: start + .seconds(30))
        #expect(probe.probe && probe.change == .probing)
        #expect(!breaker.admits(inFlight: 0, limit: 4, now: start + .seconds(31)))

        // The probe fails: open again for the whole time.
        #expect(breaker.end(probe: true, succeeded: false, now: start + .seconds(31)) == .opened)
        #expect(breaker.state == .open(until: start + .seconds(61)))
        _ = breaker.start(now: start + .seconds(61))
        #expect(breaker.end(probe: true, succeeded: true, now: start + .seconds(62)) == .closed)
        #expect(breaker.state == .closed)
        #expect(breaker.start(now: start + .seconds(62)).probe == false)
    }

    @Test func lateFailuresOfAnOpenEndpointChangeNothingAndAProbeNeverMadeIsRetried() {
        var breaker = CircuitBreaker(threshold: 1, openFor: .seconds(5))
        #expect(breaker.end(probe: false, succeeded: false, now: start) == .opened)
        #expect(breaker.end(probe: false, succeeded: false, now: start + .seconds(1)) == nil)
        #expect(breaker.state == .open(until: start + .seconds(5)))
        _ = breaker.start(now: start + .seconds(5))
        #expect(breaker.state == .probing)
        // The probe's record went to another process: the next due record is the probe.
        #expect(breaker.end(probe: true, succeeded: nil, now: start + .seconds(6)) == nil)
        #expect(breaker.admits(inFlight: 0, limit: 4, now: start + .seconds(6)))
        // Any success closes it.
        #expect(breaker.end(probe: false, succeeded: true, now: start + .seconds(7)) == .closed)
    }

    @Test func lanesBoundEachEndpointAndTheWhole() {
        let lanes = DeliveryLanes(
            endpoints: [
                HookEndpoint(url: "http://a/", maxInFlight: 2), HookEndpoint(url: "http://a/", maxInFlight: 3),
                HookEndpoint(url: "http://b/"),
            ],
            capacity: 5, breakerFailures: 1, breakerOpen: .seconds(10))
        let a1 = lanes.admit("http://a/", now: start)
        let a2 = lanes.admit("http://a/", now: start)
        #expect(a1 != nil && a2 != nil)
        #expect(lanes.admit("http://a/", now: start) == nil)  // the smaller max_in_flight of one URL
        #expect(lanes.room("http://a/", now: start) == 0)
        #expect(lanes.room("http://b/", now: start) == 3)
        for _ in 0..<3 { #expect(lanes.admit("http://b/", now: start) != nil) }
        #expect(lanes.free == 0)
        #expect(lanes.admit("http://c/", now: start) == nil)  // the whole is full

        if let a1 { #expect(lanes.finish(a1.ticket, succeeded: false, now: start) == .opened) }
        #expect(lanes.free == 1)
        #expect(lanes.room("http://a/", now: start) == 0)
        #expect(lanes.room("http://c/", now: start) == 1)
        if let a2 { _ = lanes.finish(a2.ticket, succeeded: nil, now: start) }
        // Open: nothing until the open time is over, then one probe.
        #expect(lanes.admit("http://a/", now: start + .seconds(9)) == nil)
        #expect(lanes.room("http://a/", now: start + .seconds(10)) == 1)
        let probe = lanes.admit("http://a/", now: start + .seconds(10))
        #expect(probe?.ticket.probe == true && probe?.change == .probing)
        #expect(lanes.admit("http://a/", now: start + .seconds(10)) == nil)
        if let probe { #expect(lanes.finish(probe.ticket, succeeded: true, now: start + .seconds(11)) == .closed) }
        #expect(lanes.room("http://a/", now: start + .seconds(11)) == 2)
        #expect(lanes.inTurn() == ["http://a/", "http://b/"])
        #expect(lanes.inTurn() == ["http://b/", "http://a/"])
    }
}
