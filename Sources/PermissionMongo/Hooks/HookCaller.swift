import Logging
import PMBSON
import PMCurl

/// Calls one hook endpoint with a body and records how it went (metrics, log line).
struct HookCaller: Sendable {
    let client: CurlClient
    let metrics: HookMetrics
    let logger: Logger

    func call(
        _ endpoint: HookEndpoint, event: HookEvent, body: [UInt8], eventId: String? = nil, attempt: Int? = nil
    ) async -> HookCallResult {
        await exchange(endpoint, event: event, body: body, eventId: eventId, attempt: attempt).result
    }

    /// The call's result, and the body of a 2xx answer (empty otherwise).
    func exchange(
        _ endpoint: HookEndpoint, event: HookEvent, body: [UInt8], eventId: String? = nil, attempt: Int? = nil
    ) async -> (result: HookCallResult, answer: [UInt8]) {
        let request = HookRequest.make(endpoint, event: event, body: body, eventId: eventId, attempt: attempt)
        let started = ContinuousClock.now
        let outcome: Result<CurlResponse, CurlError>
        do {
            outcome = .success(try await client.perform(request))
        } catch {
            outcome = .failure(error)
        }
        let duration = ContinuousClock.now - started
        let result = HookCallResult(outcome, timeoutMs: endpoint.timeoutMs)
        metrics.recordCall(event, url: endpoint.url, duration: duration, result: result)
        var metadata = Self.metadata(endpoint, event: event, eventId: eventId)
        metadata["duration_ms"] = "\(Int(duration / .milliseconds(1)))"
        switch result {
        case .accepted:
            logger.debug("hook call accepted", metadata: metadata)
            return (result, (try? outcome.get().body) ?? [])
        case .refused(let reason, _):
            metadata["reason"] = "\(reason)"
            logger.info("hook call refused", metadata: metadata)
            return (result, [])
        }
    }

    /// A 2xx answer the gateway could not use (a batch-mode pre-hook's): counted and
    /// logged as a refusal for `reason`.
    func reportUnusableAnswer(_ endpoint: HookEndpoint, event: HookEvent, reason: String) {
        metrics.recordFailure(event, url: endpoint.url, kind: .answer)
        var metadata = Self.metadata(endpoint, event: event, eventId: nil)
        metadata["reason"] = "\(reason)"
        logger.info("hook answer refused", metadata: metadata)
    }

    private static func metadata(_ endpoint: HookEndpoint, event: HookEvent, eventId: String?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["event": "\(event.rawValue)", "url": "\(endpoint.url)"]
        if let eventId { metadata["event_id"] = "\(eventId)" }
        return metadata
    }
}
