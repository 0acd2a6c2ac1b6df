import PMMongo

extension TestBackend {
    /// Runs `body`, which arms `failCommand`, alone: the fail point is one for the whole
    /// backend, and arming it replaces whatever another test armed (its `appName` scope
    /// included). Tests that arm it take turns across the whole test process, and each
    /// leaves it off.
    public static func withFailPoint<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await FailPointTurns.shared.take()
        do {
            let value = try await body()
            await disarm()
            return value
        } catch {
            await disarm()
            throw error
        }
    }

    private static func disarm() async {
        if let pool = try? await makePool(appName: "pm-test-failpoint-off") {
            try? await disableFailCommand(pool: pool)
            pool.close()
        }
        await FailPointTurns.shared.give()
    }
}

/// A queue of tests waiting for the fail point.
private actor FailPointTurns {
    static let shared = FailPointTurns()
    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func take() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { taken = false } else { waiting.removeFirst().resume() }
    }
}
