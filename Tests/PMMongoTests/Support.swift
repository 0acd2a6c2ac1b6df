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
