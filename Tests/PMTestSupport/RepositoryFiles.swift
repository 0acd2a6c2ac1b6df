import Foundation

/// The checkout the tests were built from, found from this source file's location
/// (`<root>/Tests/PMTestSupport/RepositoryFiles.swift`).
public enum RepositoryFiles {
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
