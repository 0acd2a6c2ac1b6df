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
        metrics.recordCall(event, duration: duration, result: result)
        var metadata: Logger.Metadata = [
            "event": "\(event.rawValue)", "url": "\(endpoint.url)",
            "duration_ms": "\(Int(duration / .milliseconds(1)))",
        ]
        if let eventId { metadata["event_id"] = "\(eventId)" }
        switch result {
        case .accepted:
            logger.debug("hook call accepted", metadata: metadata)
        case .refused(let reason, _):
            metadata["reason"] = "\(reason)"
            logger.info("hook call refused", metadata: metadata)
        }
        return result
    }
}
