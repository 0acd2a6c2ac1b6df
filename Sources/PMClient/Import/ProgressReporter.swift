#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows an import's progress on standard error while it runs: a bar redrawn in place on
/// a terminal, plain lines every `interval` otherwise (logs, CI), and a last report at the end.
public final class ProgressReporter: Sendable {
    public enum Style: Sendable, Equatable {
        case bar
        case lines
        case none

        /// `bar` when standard error is a terminal, else `lines`.
        public static var automatic: Style {
            isatty(STDERR_FILENO) == 1 ? .bar : .lines
        }
    }

    public let style: Style
    private let interval: Duration
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - interval: between plain lines (the bar is redrawn 5 times a second).
    ///   - write: where the text goes (standard error).
    public init(style: Style, interval: Duration = .seconds(2), write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.interval = style == .bar ? .milliseconds(200) : interval
        self.write = write
    }

    /// Reports every `interval` until the returned task is cancelled.
    func start(_ stats: ImportStats) -> Task<Void, Never> {
        Task { [self] in
            guard style != .none else { return }
            while true {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                report(stats, final: false)
            }
        }
    }

    /// The last report.
    func finish(_ stats: ImportStats, reporter task: Task<Void, Never>) async {
        task.cancel()
        await task.value
        report(stats, final: true)
    }

    private func report(_ stats: ImportStats, final: Bool) {
        let counts = stats.snapshot
        let elapsed = stats.elapsedSeconds
        switch style {
        case .bar:
            write("\r" + ProgressLine.bar(counts, elapsedSeconds: elapsed) + "\u{1B}[K" + (final ? "\n" : ""))
        case .lines:
            write(ProgressLine.plain(counts, elapsedSeconds: elapsed) + "\n")
        case .none:
            break
        }
    }
}
