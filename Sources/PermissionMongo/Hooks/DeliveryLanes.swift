import NIOConcurrencyHelpers

/// Which post-hook deliveries may start now: at most `capacity` in flight in all, at most
/// an endpoint's `max_in_flight` per endpoint, none to an endpoint whose circuit is open
/// (`CircuitBreaker`). Endpoints are told apart by URL; when one URL is configured more
/// than once, its smallest `max_in_flight` applies. Shared by the worker's claims and its
/// deliveries; a process keeps its own books. A reload changes the endpoints (`reconfigure`);
/// deliveries in flight keep their places, circuits their state.
final class DeliveryLanes: Sendable {
    /// A delivery allowed to start; hand it back to `finish`.
    struct Ticket: Sendable {
        let url: String
        let probe: Bool
    }

    private struct Lane {
        var inFlight = 0
        var limit: Int
        var breaker: CircuitBreaker
    }

    private struct State {
        /// `max_in_flight` per configured URL.
        var limits: [String: Int]
        var lanes: [String: Lane] = [:]
        var inFlight = 0
        /// Where the next claim starts among the URLs, so that none keeps the others waiting.
        var turn = 0
    }

    let capacity: Int
    private let breaker: CircuitBreaker
    private let state: NIOLockedValueBox<State>

    init(endpoints: [HookEndpoint], capacity: Int, breakerFailures: Int, breakerOpen: Duration) {
        self.capacity = capacity
        state = NIOLockedValueBox(State(limits: Self.limits(endpoints)))
        breaker = CircuitBreaker(threshold: breakerFailures, openFor: breakerOpen)
    }

    private static func limits(_ endpoints: [HookEndpoint]) -> [String: Int] {
        Dictionary(endpoints.map { ($0.url, $0.maxInFlight) }, uniquingKeysWith: min)
    }

    /// The endpoints of a reloaded configuration.
    func reconfigure(endpoints: [HookEndpoint]) {
        let limits = Self.limits(endpoints)
        state.withLockedValue { state in
            state.limits = limits
            for url in state.lanes.keys {
                state.lanes[url]?.limit = limits[url] ?? HookEndpoint.defaultMaxInFlight
            }
        }
    }

    /// How long an endpoint stays open before its probe.
    var openFor: Duration { breaker.openFor }

    /// The configured endpoint URLs.
    var urls: [String] { state.withLockedValue { $0.limits.keys.sorted() } }

    /// Deliveries that may still start.
    var free: Int { state.withLockedValue { capacity - $0.inFlight } }

    /// The configured URLs, each time starting one further along.
    func inTurn() -> [String] {
        let urls = urls
        guard !urls.isEmpty else { return [] }
        let start = state.withLockedValue { state -> Int in
            defer { state.turn &+= 1 }
            return state.turn % urls.count
        }
        return Array(urls[start...] + urls[..<start])
    }

    /// How many deliveries to `url` may start now (0 while it is full or open).
    func room(_ url: String, now: ContinuousClock.Instant) -> Int {
        state.withLockedValue { state in
            let lane = state.lanes[url] ?? Lane(limit: state.limits[url] ?? HookEndpoint.defaultMaxInFlight, breaker: breaker)
            guard lane.breaker.admits(inFlight: lane.inFlight, limit: lane.limit, now: now) else { return 0 }
            let own = lane.breaker.state == .closed ? lane.limit - lane.inFlight : 1
            return min(own, capacity - state.inFlight)
        }
    }

    /// A ticket for one delivery to `url`, or nil when it may not start now.
    func admit(_ url: String, now: ContinuousClock.Instant) -> (ticket: Ticket, change: CircuitBreaker.Change?)? {
        state.withLockedValue { state in
            var lane = state.lanes[url] ?? Lane(limit: state.limits[url] ?? HookEndpoint.defaultMaxInFlight, breaker: breaker)
            guard state.inFlight < capacity, lane.breaker.admits(inFlight: lane.inFlight, limit: lane.limit, now: now)
            else { return nil }
            let start = lane.breaker.start(now: now)
            lane.inFlight += 1
            state.inFlight += 1
            state.lanes[url] = lane
            return (Ticket(url: url, probe: start.probe), start.change)
        }
    }

    /// The delivery of `ticket` ended: `succeeded` nil when no call was made.
    func finish(_ ticket: Ticket, succeeded: Bool?, now: ContinuousClock.Instant) -> CircuitBreaker.Change? {
        state.withLockedValue { state in
            guard var lane = state.lanes[ticket.url] else { return nil }
            lane.inFlight -= 1
            state.inFlight -= 1
            let change = lane.breaker.end(probe: ticket.probe, succeeded: succeeded, now: now)
            state.lanes[ticket.url] = lane
            return change
        }
    }
}
