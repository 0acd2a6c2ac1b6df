/// The text of one progress report: a bar for terminals, a plain line for logs.
public enum ProgressLine {
    /// `[########------------]  40%  4000 docs  1234 docs/s  ETA 0:05`
    public static func bar(_ counts: ImportCounts, elapsedSeconds: Double, width: Int = 24) -> String {
        let fraction = self.fraction(counts)
        let filled = fraction.map { Int(($0 * Double(width)).rounded(.down)) } ?? 0
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        var parts = [bar]
        if let fraction { parts.append(percent(fraction)) }
        parts.append("\(counts.done) docs")
        parts.append("\(rate(counts, elapsedSeconds)) docs/s")
        if counts.rejected > 0 { parts.append("\(counts.rejected) rejected") }
        if let eta = eta(counts, elapsedSeconds: elapsedSeconds) { parts.append("ETA \(clock(eta))") }
        return parts.joined(separator: "  ")
    }

    /// `progress: 4000 read, 3990 done (3980 created, 10 rejected), 1234 docs/s, 40%, ETA 5s`
    public static func plain(_ counts: ImportCounts, elapsedSeconds: Double) -> String {
        var line = "progress: \(counts.read) read, \(counts.done) done (\(counts.created) created, \(counts.rejected) rejected), "
            + "\(rate(counts, elapsedSeconds)) docs/s"
        if let fraction = fraction(counts) { line += ", \(percent(fraction).trimmingSpaces)" }
        if let eta = eta(counts, elapsedSeconds: elapsedSeconds) { line += ", ETA \(Int(eta.rounded(.up)))s" }
        return line
    }

    /// Rows done per second.
    static func rate(_ counts: ImportCounts, _ elapsedSeconds: Double) -> Int {
        elapsedSeconds > 0 ? Int((Double(counts.done) / elapsedSeconds).rounded()) : 0
    }

    /// The share of the file done: bytes read, scaled by the share of read rows that are done.
    static func fraction(_ counts: ImportCounts) -> Double? {
        guard let total = counts.totalBytes, total > 0 else { return nil }
        let readShare = min(1, Double(counts.bytesRead) / Double(total))
        let doneShare = counts.read > 0 ? Double(counts.done) / Double(counts.read) : 0
        return min(1, readShare * doneShare)
    }

    static func eta(_ counts: ImportCounts, elapsedSeconds: Double) -> Double? {
        guard let fraction = fraction(counts), fraction > 0.001, fraction < 1 else { return nil }
        return elapsedSeconds * (1 - fraction) / fraction
    }

    private static func percent(_ fraction: Double) -> String {
        let text = String(Int((fraction * 100).rounded(.down))) + "%"
        return String(repeating: " ", count: max(0, 4 - text.count)) + text
    }

    private static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let mmss = (minutes < 10 && hours > 0 ? "0" : "") + "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
        return hours > 0 ? "\(hours):\(mmss)" : mmss
    }
}
