import Foundation

/// A fresh temporary directory holding `files` (name → text); removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "pm-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Replaces the file `name` whole (a rename: a reader never sees half of it).
    public func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    public func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
