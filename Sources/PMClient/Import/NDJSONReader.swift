import PMBSON

/// One JSON object per line (`.ndjson`, `.jsonl`); blank lines are skipped.
public final class NDJSONReader: ImportReader {
    private let input: BufferedInput
    private var row = 0

    public init(_ input: BufferedInput) {
        self.input = input
    }

    public var bytesRead: Int { input.bytesRead }
    public var totalBytes: Int? { input.totalBytes }

    public func next() throws(ClientError) -> ImportRecord? {
        try input.skipByteOrderMark()
        while true {
            let lineNumber = input.line
            guard let bytes = try input.nextLine() else { return nil }
            if bytes.allSatisfy(Self.isBlank) { continue }
            row += 1
            return ImportRecord(row: row, line: lineNumber, content: .object(from: bytes, notObject: "the line is not a JSON object"))
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
