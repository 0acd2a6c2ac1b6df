/// `hooks.<collection>:` — the receivers of each event, in configuration order.
public struct CollectionHooks: Sendable, Equatable {
    public var endpoints: [HookEvent: [HookEndpoint]]

    public init(endpoints: [HookEvent: [HookEndpoint]] = [:]) {
        self.endpoints = endpoints
    }

    /// The receivers for `event`; empty when none.
    public subscript(event: HookEvent) -> [HookEndpoint] {
        endpoints[event] ?? []
    }
}

/// When a hook is called (`hooks.<collection>.<event>:`).
public enum HookEvent: String, Sendable, Hashable, CaseIterable {
    case preCreate = "pre_create"
    case postCreate = "post_create"
    case preUpdate = "pre_update"
    case postUpdate = "post_update"
    case preDelete = "pre_delete"
    case postDelete = "post_delete"
}

/// How an endpoint is called: once per document, or once per request with all its
/// documents (docs/API.md, "Batch-mode hooks").
public enum HookMode: String, Sendable, CaseIterable {
    case document, batch
}

/// One HTTP receiver of a hook (docs/API.md, "Hooks").
public struct HookEndpoint: Sendable, Equatable {
    /// `http://` or `https://` URL.
    public var url: String
    /// Upper-case HTTP method: POST (default), PUT or PATCH.
    public var method: String
    /// Longer than this is a failure (`timeout_ms`, default 5000).
    public var timeoutMs: Int
    /// Extra request headers.
    public var headers: [String: String]
    /// Shared secret for signing the request body, if any.
    public var secret: String?
    /// `mode`, default `document`.
    public var mode: HookMode
    /// Post-hook deliveries to this URL in flight at once, per gateway process (`max_in_flight`).
    public var maxInFlight: Int
    /// Batch mode: most documents per call; more are split over several calls (`max_documents`).
    public var maxDocuments: Int

    public static let defaultMaxInFlight = 4
    public static let defaultMaxDocuments = 500

    public init(
        url: String, method: String = "POST", timeoutMs: Int = 5000, headers: [String: String] = [:],
        secret: String? = nil, mode: HookMode = .document, maxInFlight: Int = HookEndpoint.defaultMaxInFlight,
        maxDocuments: Int = HookEndpoint.defaultMaxDocuments
    ) {
        self.url = url
        self.method = method
        self.timeoutMs = timeoutMs
        self.headers = headers
        self.secret = secret
        self.mode = mode
        self.maxInFlight = maxInFlight
        self.maxDocuments = maxDocuments
    }
}
