import Foundation
import PMBSON

/// The NDJSON files an import keeps beside its input (the rejects file, the checkpoint):
/// read back line by line, appended to a line (or a chunk's lines) at a time with one
/// write, so that a process killed at any moment leaves at most its last line cut short.
enum LineFile {
    /// Each line of `path` that is a JSON object, with its bytes, in order. A line that is
    /// not one (cut short by a kill) is skipped. Nothing happens when the file is absent.
    static func objects(in path: String, _ body: (BSONDocument, [UInt8]) throws(ClientError) -> Void) throws(ClientError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let input = try BufferedInput(path: path)
        while let line = try input.nextLine() {
            guard let object = try? JSONReader.parseDocument(line) else { continue }
            try body(object, line)
        }
    }

    /// `path` opened for appending, created when absent (emptied when `truncate`). A last
    /// line cut short is ended first, so that it does not swallow the next one.
    static func openForAppending(_ path: String, truncate: Bool, what: String) throws(ClientError) -> FileHandle {
        if truncate || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw .input("\(what) \(path): cannot be created")
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw .input("\(what) \(path): cannot be opened for writing") }
        let end = (try? handle.seekToEnd()) ?? 0
        if end > 0 {
            try? handle.seek(toOffset: end - 1)
            if (try? handle.read(upToCount: 1)) != Data("\n".utf8) { handle.write(Data("\n".utf8)) }
        }
        return handle
    }

    /// Each object as a line.
    static func lines(_ objects: [BSONDocument]) -> [UInt8] {
        var bytes: [UInt8] = []
        for object in objects {
            JSONWriter.write(object, into: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
