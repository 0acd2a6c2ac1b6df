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
