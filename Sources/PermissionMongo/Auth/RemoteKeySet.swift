import Logging
import NIOConcurrencyHelpers
import PMCurl

/// The key set published at `auth.jwt.jwks_url` (docs/API.md, "Tokens"): fetched through
/// libcurl (its own multi-handle thread, never the event loop), kept in memory, replaced
/// whole by each successful fetch. A failed fetch keeps the keys already loaded.
final class RemoteKeySet: Sendable {
    /// A token naming an unknown `kid` refetches the set at most this often.
    static let unknownKidRefetchInterval: Duration = .seconds(10)
    static let fetchTimeoutMilliseconds = 5000
    /// Bytes of a key set read; a larger one is malformed.
    static let maxBytes = 1 << 20

    let url: String
    private let client: CurlClient
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var keys: VerificationKeys?
        /// Counts the sets loaded: tokens verified with an earlier one are verified again.
        var generation = 0
        var lastFetchFailed = false
        var lastUnknownKidFetch: ContinuousClock.Instant?
        var inFlight: Task<Void, Never>?
    }

    init(url: String, logger: Logger) throws(CurlError) {
        self.url = url
        self.logger = logger
        client = try CurlClient(maxConcurrent: 1, maxBodyBytes: Self.maxBytes)
    }

    /// The keys of the last successful fetch.
    var current: VerificationKeys? { state.withLockedValue { $0.keys } }
    var isLoaded: Bool { current != nil }
    /// Changes whenever a fetched set replaces the keys.
    var generation: Int { state.withLockedValue { $0.generation } }
    /// The last fetch failed: the provider is down or its answer unusable.
    var isFailing: Bool { state.withLockedValue { $0.lastFetchFailed } }

    /// Fetches the set now, or waits for the fetch under way.
    func refresh() async {
        let task = state.withLockedValue { state in
            if let running = state.inFlight { return running }
            let task = Task { await self.fetch() }
            state.inFlight = task
            return task
        }
        await task.value
    }

    /// For a token naming a `kid` the set lacks: refetches, unless that was done less than
    /// `unknownKidRefetchInterval` ago.
    func refreshForUnknownKid() async {
        let due = state.withLockedValue { state in
            let now = ContinuousClock.now
            if let last = state.lastUnknownKidFetch, now - last < Self.unknownKidRefetchInterval { return false }
            state.lastUnknownKidFetch = now
            return true
        }
        if due { await refresh() }
    }

    func shutdown() async {
        await client.shutdown()
    }

    private func fetch() async {
        let masked = HookURL.masked(url)
        var loaded: VerificationKeys?
        do {
            let response = try await client.perform(CurlRequest(
                url: url, method: "GET", headers: [("Accept", "application/json")],
                timeoutMilliseconds: Self.fetchTimeoutMilliseconds))
            if !response.isSuccess {
                logger.warning("JWKS fetch failed", metadata: ["url": "\(masked)", "status": "\(response.status)"])
            } else {
                let keys = await VerificationKeys.build(try VerificationKeys.decode(response.body))
                for reason in keys.skipped {
                    logger.warning("JWKS key skipped", metadata: ["url": "\(masked)", "reason": "\(reason)"])
                }
                if keys.isEmpty {
                    logger.warning("JWKS has no usable key", metadata: ["url": "\(masked)"])
                } else {
                    loaded = keys
                    logger.debug("JWKS loaded", metadata: ["url": "\(masked)", "keys": "\(keys.count)"])
                }
            }
        } catch {
            logger.warning("JWKS fetch failed", metadata: ["url": "\(masked)", "error": "\(error)"])
        }
        state.withLockedValue { state in
            if let loaded {
                state.keys = loaded
                state.generation += 1
            }
            state.lastFetchFailed = loaded == nil
            state.inFlight = nil
        }
    }
}
