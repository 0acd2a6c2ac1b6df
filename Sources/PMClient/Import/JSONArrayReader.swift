import PMBSON

/// A JSON array of objects (`.json`), read element by element: the file is never held
/// in memory whole. Each element is cut out by tracking strings and nesting, then parsed
/// on its own, so one bad element is a rejected row and the others still go.
public final class JSONArrayReader: ImportReader {
    private let input: BufferedInput
    private var row = 0
    private var started = false
    private var closed = false
    private var finished = false

    public init(_ input: BufferedInput) {
        self.input = input
    }

    public var bytesRead: Int { input.bytesRead }
    public var totalBytes: Int? { input.totalBytes }

    public func next() throws(ClientError) -> ImportRecord? {
        if finished { return nil }
        if closed {
            try finish()  // after the last element was handed out
            return nil
        }
        if !started {
            started = true
            try input.skipByteOrderMark()
            try skipWhitespace()
            guard let first = try input.next() else { throw .input("\(input.path): the file is empty (expected a JSON array)") }
            guard first == UInt8(ascii: "[") else {
                throw .input("""
                    \(input.path): expected a JSON array ('[') at line \(input.line), found '\(Character(Unicode.Scalar(first)))' \
                    (for one object per line use .ndjson or --format ndjson)
                    """)
            }
            try skipWhitespace()
            if try input.peek() == UInt8(ascii: "]") {
                _ = try input.next()
                try finish()
                return nil
            }
        }
        try skipWhitespace()
        let line = input.line
        let (element, terminator) = try nextElement()
        row += 1
        if terminator == UInt8(ascii: "]") { closed = true }
        return ImportRecord(row: row, line: line, content: Self.content(of: element))
    }

    static func content(of element: [UInt8]) -> ImportRecord.Content {
        guard !element.isEmpty else {
            return .unreadable(raw: "", code: "invalid_json", message: "empty array element")
        }
        return .object(from: element, notObject: "the array element is not a JSON object")
    }

    /// The bytes up to the `,` or `]` that ends the element at depth 0 (trailing
    /// whitespace dropped), and that terminator.
    private func nextElement() throws(ClientError) -> ([UInt8], UInt8) {
        var element: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        let startLine = input.line
        while let byte = try input.next() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                element.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "]") where depth == 0, UInt8(ascii: ",") where depth == 0:
                while let last = element.last, Self.isWhitespace(last) { element.removeLast() }
                return (element, byte)
            case UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
            element.append(byte)
        }
        let what = inString ? "a string is not closed" : "the array is not closed with ']'"
        throw .input("\(input.path): unexpected end of file in the element starting at line \(startLine): \(what)")
    }

    private func finish() throws(ClientError) {
        finished = true
        try skipWhitespace()
        if let extra = try input.peek() {
            throw .input("\(input.path): unexpected '\(Character(Unicode.Scalar(extra)))' after the JSON array at line \(input.line)")
        }
    }

    private func skipWhitespace() throws(ClientError) {
        while let byte = try input.peek(), Self.isWhitespace(byte) { _ = try input.next() }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
