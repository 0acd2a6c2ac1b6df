import Foundation

/// A file (or standard input, `-`) read in blocks, byte by byte or line by line, counting
/// bytes and lines so readers can say where a record starts and how far the import is.
public final class BufferedInput {
    public let path: String
    /// The size of a regular file; `nil` for standard input and pipes.
    public let totalBytes: Int?
    /// Bytes handed out so far.
    public private(set) var bytesRead = 0
    /// The line the next byte is on (1-based).
    public private(set) var line = 1

    private let handle: FileHandle
    private let closesHandle: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private static let blockSize = 256 * 1024

    public init(path: String) throws(ClientError) {
        self.path = path
        if path == "-" {
            handle = FileHandle.standardInput
            closesHandle = false
            totalBytes = nil
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .input("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw .input("\(path): is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .input("\(path): cannot be opened for reading") }
        self.handle = handle
        closesHandle = true
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let isRegular = (attributes?[.type] as? FileAttributeType) == .typeRegular
        totalBytes = isRegular ? (attributes?[.size] as? NSNumber)?.intValue : nil
    }

    /// In-memory input, for tests.
    public init(bytes: [UInt8], name: String = "input") {
        path = name
        handle = FileHandle.nullDevice
        closesHandle = false
        totalBytes = bytes.count
        buffer = bytes
        atEnd = true
    }

    deinit {
        if closesHandle { try? handle.close() }
    }

    /// Skips a UTF-8 byte-order mark at the very start (spreadsheet exports write one).
    public func skipByteOrderMark() throws(ClientError) {
        guard bytesRead == 0 else { return }
        if position == buffer.count { try fill() }
        if buffer[position...].starts(with: [0xEF, 0xBB, 0xBF]) {
            position += 3
            bytesRead += 3
        }
    }

    /// The next byte without consuming it.
    public func peek() throws(ClientError) -> UInt8? {
        if position == buffer.count { try fill() }
        return position < buffer.count ? buffer[position] : nil
    }

    /// The next byte, consumed.
    public func next() throws(ClientError) -> UInt8? {
        if position == buffer.count { try fill() }
        guard position < buffer.count else { return nil }
        let byte = buffer[position]
        position += 1
        bytesRead += 1
        if byte == UInt8(ascii: "\n") { line += 1 }
        return byte
    }

    /// The bytes up to the next `\n` (not included; a `\r` before it is dropped), or `nil` at the end.
    public func nextLine() throws(ClientError) -> [UInt8]? {
        var out: [UInt8] = []
        while true {
            if position == buffer.count {
                try fill()
                if position == buffer.count { return out.isEmpty ? nil : out }
            }
            let slice = buffer[position...]
            if let newline = slice.firstIndex(of: UInt8(ascii: "\n")) {
                out.append(contentsOf: buffer[position..<newline])
                bytesRead += newline + 1 - position
                position = newline + 1
                line += 1
                if out.last == UInt8(ascii: "\r") { out.removeLast() }
                return out
            }
            out.append(contentsOf: slice)
            bytesRead += slice.count
            position = buffer.count
        }
    }

    private func fill() throws(ClientError) {
        guard !atEnd else { return }
        do {
            let data = try handle.read(upToCount: Self.blockSize) ?? Data()
            buffer = Array(data)
            position = 0
            if buffer.isEmpty { atEnd = true }
        } catch {
            throw .input("\(path): read failed: \(error.localizedDescription)")
        }
    }
}
