import PMMongo
import PMTestSupport
import Testing

/// One retry budget for transient errors: exponential backoff with jitter between attempts,
/// shared by every retry loop that runs under it, and a transient error that does not go
/// away ends (with that error) once the budget is spent, whatever the path.
@Suite("Retry budget")
struct RetryBudgetTests {
    @Test func waitsDoubleFromTenMillisecondsUpToOneSecondWithJitter() {
        let budget = RetryBudget(limit: .seconds(3600))
        for (failures, step) in [(1, 10), (2, 20), (3, 40), (7, 640), (8, 1000), (30, 1000)] {
            for _ in 0..<20 {
                let delay = budget.delay(afterFailures: failures)
                #expect(delay.map { $0 >= .milliseconds(step) / 2 && $0 <= .milliseconds(step) } == true,
                        "after \(failures) failures: \(String(describing: delay))")
            }
        }
    }

    @Test func aSpentBudgetGivesNoMoreAttempts() async throws {
        #expect(RetryBudget(limit: .zero).delay(afterFailures: 1) == nil)
        let budget = RetryBudget(limit: .milliseconds(50))
        // The clock starts at the first failure; a wait never runs past the budget.
        #expect(try #require(budget.delay(afterFailures: 20)) <= .milliseconds(50))
        try await Task.sleep(for: .milliseconds(60))
        #expect(budget.delay(afterFailures: 1) == nil, "the budget is shared: a new loop finds it spent")
    }

    /// A transaction whose insert always fails with WriteConflict (112, TransientTransactionError)
    /// is run again with waits in between until the bound budget is spent, then throws that error.
    /// No run starts once the budget is spent: the budget's clock starts at the first failure,
    /// before the second run, so every run starts within the limit of the second (and a little
    /// scheduling) however long the backend takes to answer each one.
    @Test func aTransientErrorThatDoesNotGoAwayEndsWhenTheBudgetIsSpent() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-budget-\(UInt32.random(in: 0 ... .max))"
            let pool = try await TestBackend.makePool(appName: appName)
            defer { pool.close() }
            try await TestBackend.failCommand(
                ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"], alwaysOn: true,
                appName: appName, pool: pool)
            let clock = ContinuousClock()
            let runsStarted = Locked<[ContinuousClock.Instant]>([])
            let started = clock.now
            let error = await #expect(throws: MongoError.self) {
                try await RetryBudget.$current.withValue(RetryBudget(limit: .milliseconds(300))) {
                    _ = try await pool.withTransaction { transaction in
                        runsStarted.update { $0.append(clock.now) }
                        return .commit(try await transaction.run { connection, session in
                            try connection.insertMany(
                                collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session
                            ).insertedCount
                        })
                    }
                }
            }
            let elapsed = clock.now - started
            let runs = runsStarted.current
            #expect(error?.code == 112)
            #expect(error?.isTransientTransactionError == true)
            #expect(runs.count >= 2, "retried: \(runs.count) runs")
            #expect(elapsed >= .milliseconds(300), "gave up after \(elapsed)")
            if runs.count >= 2, let last = runs.last {
                #expect(last - runs[1] < .milliseconds(300) + .seconds(3),
                        "a run started \(last - runs[1]) after the second, \(runs.count) runs in \(elapsed)")
            }
            try await TestBackend.disableFailCommand(pool: pool)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
        }
    }

    /// The pool's own budget (`MongoPoolOptions.retryBudgetMS`) when none is bound; a single
    /// operation outside a transaction is sent again until it goes through.
    @Test func aSingleOperationIsSentAgainUntilTheTransientErrorGoesAway() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-budget-op-\(UInt32.random(in: 0 ... .max))"
            let pool = try await TestBackend.makePool(appName: appName)
            defer { pool.close() }
            try await TestBackend.failCommand(
                ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"], times: 2,
                appName: appName, pool: pool)
            let sent = Locked(0)
            let inserted = try await pool.retryingTransientErrors {
                sent.update { $0 += 1 }
                return try await pool.withConnection { connection in
                    try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": 1}"#)]).insertedCount
                }
            }
            #expect(inserted == 1)
            #expect(sent.current == 3)
        }
    }
}
