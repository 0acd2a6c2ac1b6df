import Foundation
import PMBSON

/// Appends rejected rows to an NDJSON file, one `Reject.json` per line, in the order the
/// outcomes arrive (chunks finish out of order). The file is created (emptied) at the
/// start; when nothing was rejected it is removed at the end.
public final class RejectsWriter {
    public let path: String
    public private(set) var count = 0
    private let handle: FileHandle
    private var pending: [UInt8] = []

    /// - Parameter kept: when resuming, the rows (of the chunks the checkpoint confirmed)
    ///   whose lines from the earlier run stay; the other lines are dropped, as their rows
    ///   are sent again and reported anew.
    public init(path: String, keepingRowsIn kept: RowRanges? = nil) throws(ClientError) {
        self.path = path
        guard let kept else {
            handle = try LineFile.openForAppending(path, truncate: true, what: "--rejects")
            return
        }
        // Copied from `.earlier`; a run killed while copying left it there, still whole.
        let earlier = path + ".earlier"
        let files = FileManager.default
        if !files.fileExists(atPath: earlier), files.fileExists(atPath: path) {
            do { try files.moveItem(atPath: path, toPath: earlier) } catch {
                throw .input("--rejects \(path): cannot be renamed to \(earlier): \(error.localizedDescription)")
            }
        }
        handle = try LineFile.openForAppending(path, truncate: true, what: "--rejects")
        try LineFile.objects(in: earlier) { object, line in
            guard let row = object.int("row"), kept.contains(row) else { return }
            pending += line
            pending.append(UInt8(ascii: "\n"))
            count += 1
            if pending.count >= 64 * 1024 { flush() }
        }
        flush()
        try? files.removeItem(atPath: earlier)
    }

    public func write(_ reject: Reject) {
        JSONWriter.write(reject.json, into: &pending)
        pending.append(UInt8(ascii: "\n"))
        count += 1
        if pending.count >= 64 * 1024 { flush() }
    }

    public func flush() {
        guard !pending.isEmpty else { return }
        handle.write(Data(pending))
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; removes the file when it stayed empty. True when it was kept.
    @discardableResult
    public func close() -> Bool {
        flush()
        try? handle.close()
        if count == 0 {
            try? FileManager.default.removeItem(atPath: path)
            return false
        }
        return true
    }
}
