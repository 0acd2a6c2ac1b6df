import NIOConcurrencyHelpers

/// swift-metrics handles by their labels, each made once. Making a handle takes the
/// registry's lock and checks its labels; a request finds its handles here instead, in one
/// dictionary lookup. The keys must come from a small set (route templates, configured
/// collections), never from what a client sends.
final class MetricHandles<Key: Hashable & Sendable, Handles: Sendable>: Sendable {
    private let made = NIOLockedValueBox<[Key: Handles]>([:])
    private let make: @Sendable (Key) -> Handles

    init(_ make: @escaping @Sendable (Key) -> Handles) {
        self.make = make
    }

    subscript(key: Key) -> Handles {
        made.withLockedValue { made in
            if let handles = made[key] { return handles }
            let handles = make(key)
            made[key] = handles
            return handles
        }
    }
}
