import Foundation
import PMMongo
import PMTestSupport
import Testing

/// `TestBSON.document`, shorter.
func bson(_ json: String) throws -> [UInt8] {
    try TestBSON.document(json)
}

/// Relaxed extended JSON of each document, for readable assertions.
func jsons(_ documents: [[UInt8]]) -> [String] {
    documents.map { TestBSON.json($0) ?? "<invalid>" }
}

struct ExpectedFailure: Error, Equatable {}

/// A lock-protected value shared with @Sendable closures.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    @discardableResult
    func update<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }

    var current: Value { update { $0 } }
}

/// `body` with a pool of its own whose `commands` fail as `failCommand` says (scoped to the
/// pool's application name), in the fail-point tests' turn.
func withFailingPool(
    _ commands: [String], errorCode: Int, errorLabels: [String] = [], times: Int = 1,
    _ body: @Sendable (MongoClientPool) async throws -> Void
) async throws {
    try await TestBackend.withFailPoint {
        let appName = "pm-fail-\(UInt32.random(in: 0 ... .max))"
        let pool = try await TestBackend.makePool(appName: appName)
        defer { pool.close() }
        try await TestBackend.failCommand(
            commands, errorCode: errorCode, errorLabels: errorLabels, times: times, appName: appName, pool: pool)
        try await body(pool)
    }
}
