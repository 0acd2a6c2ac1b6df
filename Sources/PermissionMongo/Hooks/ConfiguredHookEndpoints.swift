import NIOConcurrencyHelpers

/// The hook endpoints of the configuration in force, for the delivery worker: it runs for
/// the life of the process, across reloads, and looks each record's endpoint up here.
final class ConfiguredHookEndpoints: Sendable {
    private let box: NIOLockedValueBox<[String: CollectionHooks]>

    init(_ hooks: [String: CollectionHooks]) {
        box = NIOLockedValueBox(hooks)
    }

    var current: [String: CollectionHooks] { box.withLockedValue { $0 } }

    func replace(with hooks: [String: CollectionHooks]) {
        box.withLockedValue { $0 = hooks }
    }
}
