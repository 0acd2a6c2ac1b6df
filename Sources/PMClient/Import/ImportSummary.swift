import Foundation

/// The result of an import, and the lines that tell it.
public struct ImportSummary: Sendable {
    public var counts: ImportCounts
    public var seconds: Double
    /// The rejects file, when something was rejected.
    public var rejectsPath: String?
    /// Why the import stopped before the end of the file.
    public var abortedBecause: ClientError?

    /// Success: every row was written.
    public var exitCode: Int32 {
        if let abortedBecause { return abortedBecause.exitCode == 2 ? 2 : CommandOutcome.failedExitCode }
        return counts.rejected > 0 ? CommandOutcome.failedExitCode : 0
    }

    public var docsPerSecond: Int {
        seconds > 0 ? Int((Double(counts.done) / seconds).rounded()) : counts.done
    }

    /// `read 10, sent 8, created 7, rejected 3, 0.42 s, 24 docs/s` and where the rejects are.
    public var text: String {
        var lines = [
            "read \(counts.read), sent \(counts.sent), created \(counts.created), rejected \(counts.rejected), "
                + "\(String(format: "%.2f", seconds)) s, \(docsPerSecond) docs/s"
        ]
        if let rejectsPath {
            let local = counts.rejectedLocally > 0 ? " (\(counts.rejectedLocally) could not be read and were not sent)" : ""
            lines.append("rejected rows\(local) are in \(rejectsPath)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the import stopped early, for standard error.
    public var problem: String? {
        abortedBecause.map { "error: the import stopped before the end of the file: \($0)\n" }
    }
}
