import NIOConcurrencyHelpers

/// One request's `DocumentOutcomes`: settled by its route when its results become the
/// answer, counted by `RequestMetricsMiddleware` when the request ends. A settle replaces
/// the last one, so a transaction that runs its route again (after a transient error)
/// counts its documents once, as its last run left them.
final class DocumentTally: Sendable {
    private let outcomes = NIOLockedValueBox<DocumentOutcomes?>(nil)

    func settle(_ outcomes: DocumentOutcomes) {
        self.outcomes.withLockedValue { $0 = outcomes }
    }

    var settled: DocumentOutcomes? { outcomes.withLockedValue { $0 } }
}
