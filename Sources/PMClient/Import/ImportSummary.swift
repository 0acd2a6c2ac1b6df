import Foundation

/// The result of an import, and the lines that tell it.
public struct ImportSummary: Sendable {
    public var counts: ImportCounts
    public var seconds: Double
    /// The rejects file, when something was rejected.
    public var rejectsPath: String?
    /// Why the import stopped before the end of the file.
    public var abortedBecause: ClientError?
    /// The checkpoint, when it was kept: some rows got no definite answer or were not sent.
    public var checkpointPath: String?
    /// The run was started with `--resume`.
    public var resumed: Bool

    public init(
        counts: ImportCounts, seconds: Double, rejectsPath: String?, abortedBecause: ClientError?,
        checkpointPath: String? = nil, resumed: Bool = false
    ) {
        self.counts = counts
        self.seconds = seconds
        self.rejectsPath = rejectsPath
        self.abortedBecause = abortedBecause
        self.checkpointPath = checkpointPath
        self.resumed = resumed
    }

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

    /// Why the import stopped early and what is left to do, for standard error.
    public var problem: String? {
        var lines: [String] = []
        if let abortedBecause { lines.append("error: the import stopped before the end of the file: \(abortedBecause)") }
        if counts.replayed > 0 {
            let again = resumed ? "" : " (another --import-id imports them as new rows)"
            lines.append("""
                note: \(counts.replayed) row(s) had already been written by an earlier request with the same \
                Idempotency-Key: the gateway answered from its record and wrote nothing again\(again)
                """)
        }
        if let checkpointPath {
            lines.append("""
                note: some rows got no definite answer or were not sent; \(checkpointPath) is kept: run the same \
                command with --resume to send only those
                """)
        }
        return lines.isEmpty ? nil : lines.map { $0 + "\n" }.joined()
    }
}
