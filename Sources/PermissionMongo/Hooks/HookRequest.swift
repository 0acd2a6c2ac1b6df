import PMBSON
import PMCurl

/// Turns a payload for one endpoint into the HTTP request: the endpoint's method,
/// timeout and headers, then the gateway's (which win over configured ones of the same
/// name), signed when the endpoint has a secret.
enum HookRequest {
    static let eventHeader = "X-PM-Event"
    static let eventIdHeader = "X-PM-Event-Id"
    static let attemptHeader = "X-PM-Delivery-Attempt"

    /// - Parameters:
    ///   - eventId: stable id of a post-hook delivery (its outbox record), same on every retry.
    ///   - attempt: 1 for the first try of a post-hook delivery.
    static func make(
        _ endpoint: HookEndpoint, event: HookEvent, body: [UInt8], eventId: String? = nil, attempt: Int? = nil
    ) -> CurlRequest {
        var own: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "permission-mongo"),
            (eventHeader, event.rawValue),
        ]
        if let eventId { own.append((eventIdHeader, eventId)) }
        if let attempt { own.append((attemptHeader, String(attempt))) }
        if let secret = endpoint.secret { own += HookSignature.headers(body: body, secret: secret) }
        let ownNames = Set(own.map { $0.name.lowercased() })
        let configured = endpoint.headers.sorted { $0.key < $1.key }
            .filter { !ownNames.contains($0.key.lowercased()) }
            .map { (name: $0.key, value: $0.value) }
        return CurlRequest(
            url: endpoint.url, method: endpoint.method, headers: configured + own, body: body,
            timeoutMilliseconds: endpoint.timeoutMs)
    }

    static func body(_ payload: BSONDocument) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        JSONWriter.write(payload, into: &bytes)
        return bytes
    }
}
