import Testing
@testable import PermissionMongo

/// Client connections get what the open-file limit leaves after the headroom.
@Suite struct FileDescriptorBudgetTests {
    @Test func headroomGrowsWithThePoolAndHookSlots() {
        #expect(FileDescriptorBudget.headroom(poolSize: 16, hookConcurrency: 16) == 384)
        #expect(FileDescriptorBudget.headroom(poolSize: 1, hookConcurrency: 8) == 292)
    }

    @Test func theSoftLimitIsRaisedAsFarAsNeeded() {
        let budget = FileDescriptorBudget(maxConnections: 4096, headroom: 384, softLimit: 1024, hardLimit: 524_288)
        #expect(budget.openFileLimit == 4480)
        #expect(budget.maxConnections == 4096)
    }

    @Test func aHighSoftLimitIsKept() {
        let budget = FileDescriptorBudget(maxConnections: 4096, headroom: 384, softLimit: 20_000, hardLimit: 20_000)
        #expect(budget.openFileLimit == 20_000)
        #expect(budget.maxConnections == 4096)
    }

    @Test func connectionsAreLoweredToWhatTheHardLimitLeaves() {
        let budget = FileDescriptorBudget(maxConnections: 4096, headroom: 384, softLimit: 1024, hardLimit: 4096)
        #expect(budget.openFileLimit == 4096)
        #expect(budget.maxConnections == 3712)
        let tiny = FileDescriptorBudget(maxConnections: 4096, headroom: 384, softLimit: 256, hardLimit: 256)
        #expect(tiny.maxConnections == 1)
    }
}
