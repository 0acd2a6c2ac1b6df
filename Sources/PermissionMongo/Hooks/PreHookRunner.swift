import PMBSON

/// Runs the `pre_*` hooks of a batch: a document-mode endpoint gets one call per
/// document, a batch-mode endpoint one call per `max_documents` documents; all calls of
/// the batch at once (the curl client bounds how many are in flight). A document passes
/// only when every endpoint let it through; otherwise it fails with `hook_rejected`
/// naming the first refusing endpoint (in configuration order) and why.
struct PreHookRunner: Sendable {
    let caller: HookCaller

    /// - Returns: one entry per element of `entries`, in order: nil when it passed.
    func check(
        _ event: HookEvent, endpoints: [HookEndpoint], context: HookContext, entries: [HookEntry]
    ) async -> [DocumentFailure?] {
        guard !endpoints.isEmpty, !entries.isEmpty else { return Array(repeating: nil, count: entries.count) }
        // One body per document, shared by the document-mode endpoints.
        let bodies = endpoints.contains { $0.mode == .document }
            ? entries.map { HookRequest.body(HookPayload.single(event, context, $0)) } : []
        var refusals = [[String?]](repeating: [String?](repeating: nil, count: endpoints.count), count: entries.count)
        await withTaskGroup(of: [Refused].self) { group in
            for (position, endpoint) in endpoints.enumerated() {
                switch endpoint.mode {
                case .document:
                    for (document, body) in bodies.enumerated() {
                        group.addTask {
                            guard case .refused(let reason, _) = await caller.call(endpoint, event: event, body: body)
                            else { return [] }
                            return [Refused(entry: document, endpoint: position, reason: reason)]
                        }
                    }
                case .batch:
                    for start in stride(from: 0, to: entries.count, by: endpoint.maxDocuments) {
                        let part = start..<min(start + endpoint.maxDocuments, entries.count)
                        group.addTask {
                            await callBatch(event, endpoint, position, context: context, entries: entries, part: part)
                        }
                    }
                }
            }
            for await refused in group {
                for item in refused { refusals[item.entry][item.endpoint] = item.reason }
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

    private struct Refused: Sendable {
        var entry: Int
        var endpoint: Int
        var reason: String
    }

    /// One batch-mode call for `entries[part]`: the documents its answer refuses, or all
    /// of them when the call failed or its answer cannot be used.
    private func callBatch(
        _ event: HookEvent, _ endpoint: HookEndpoint, _ position: Int, context: HookContext, entries: [HookEntry],
        part: Range<Int>
    ) async -> [Refused] {
        let body = HookRequest.body(HookPayload.batch(event, context, entries[part]))
        let all = { (reason: String) in part.map { Refused(entry: $0, endpoint: position, reason: reason) } }
        let (result, answer) = await caller.exchange(endpoint, event: event, body: body)
        if case .refused(let reason, _) = result { return all(reason) }
        switch BatchHookAnswer.rejections(in: answer, indexes: Set(entries[part].map(\.index))) {
        case .success(let rejected):
            return part.compactMap { entry in
                rejected[entries[entry].index].map { Refused(entry: entry, endpoint: position, reason: $0) }
            }
        case .failure(let refusal):
            caller.reportUnusableAnswer(endpoint, event: event, reason: refusal.reason)
            return all(refusal.reason)
        }
    }
}
