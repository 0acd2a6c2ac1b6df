import Foundation
import Testing
@testable import PermissionMongo

/// Work on a large body runs on the executor's threads (NIO thread-pool threads, "TP-#…"),
/// work on a small one where it was called.
@Suite("LargeBodyExecutor")
struct LargeBodyExecutorTests {
    static func threadName() -> String { Thread.current.name ?? "" }

    @Test func largeBodiesAreWorkedOnItsThreadsSmallOnesWhereTheyAre() async throws {
        let large = try await LargeBodyExecutor.run(onBodyOf: LargeBodyExecutor.largeBodyBytes) { Self.threadName() }
        #expect(large.hasPrefix("TP-"), "\(large)")
        let small = try await LargeBodyExecutor.run(onBodyOf: LargeBodyExecutor.largeBodyBytes - 1) { Self.threadName() }
        #expect(!small.hasPrefix("TP-"), "\(small)")
    }

    @Test func anErrorComesBackAsItWasThrown() async throws {
        struct Refused: Error, Equatable {}
        await #expect(throws: Refused()) {
            try await LargeBodyExecutor.run(onBodyOf: 1 << 20) { throw Refused() }
        }
    }
}
