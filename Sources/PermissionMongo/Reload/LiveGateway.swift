import NIOConcurrencyHelpers

/// The gateway in force. Each request takes it once, when it starts, and keeps it to its
/// end; a reload (`ConfigReload`) puts a new one in its place for the requests after.
final class LiveGateway: Sendable {
    private let box: NIOLockedValueBox<Gateway>

    init(_ gateway: Gateway) {
        box = NIOLockedValueBox(gateway)
    }

    var current: Gateway { box.withLockedValue { $0 } }

    func replace(with gateway: Gateway) {
        box.withLockedValue { $0 = gateway }
    }
}
