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

    public init(path: String) throws(ClientError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw .input("--rejects \(path): cannot be created")
        }
        self.handle = handle
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
