import PMBSON

/// Runs the `pre_*` hooks of a batch: every document's payload goes to
/// every endpoint of the event, all calls of the batch at once (the curl client bounds
/// how many are in flight). A document passes only when every endpoint answers 2xx;
/// otherwise it fails with `hook_rejected` naming the first refusing endpoint (in
/// configuration order) and why. Used by create now, and by update/delete with their
/// payloads (`HookPayload.preUpdate` / `.preDelete`).
struct PreHookRunner: Sendable {
    let caller: HookCaller

    /// - Returns: one entry per payload, in order: nil when it passed.
    func check(_ event: HookEvent, endpoints: [HookEndpoint], payloads: [BSONDocument]) async -> [DocumentFailure?] {
        guard !endpoints.isEmpty, !payloads.isEmpty else { return Array(repeating: nil, count: payloads.count) }
        let bodies = payloads.map(HookRequest.body)
        var refusals = [[String?]](repeating: [String?](repeating: nil, count: endpoints.count), count: payloads.count)
        await withTaskGroup(of: (Int, Int, HookCallResult).self) { group in
            for (document, body) in bodies.enumerated() {
                for (index, endpoint) in endpoints.enumerated() {
                    group.addTask { (document, index, await caller.call(endpoint, event: event, body: body)) }
                }
            }
            for await (document, index, result) in group {
                if case .refused(let reason, _) = result { refusals[document][index] = reason }
            }
        }
        return refusals.map { perEndpoint in
            guard let first = perEndpoint.indices.first(where: { perEndpoint[$0] != nil }),
                  let reason = perEndpoint[first] else { return nil }
            return Self.rejection(event, endpoints[first], reason: reason)
        }
    }

    static func rejection(_ event: HookEvent, _ endpoint: HookEndpoint, reason: String) -> DocumentFailure {
        DocumentFailure(.hookRejected, "\(event.rawValue) hook \(endpoint.url) rejected the document: \(reason)")
    }
}
