/// An RFC 4180 CSV parser over a streamed input: fields separated by `delimiter`, records
/// ended by CRLF or LF, fields in double quotes may hold delimiters, line breaks and `""`
/// (one quote). Lenient where files in the wild need it: a quote inside an unquoted field
/// is kept as text, a lone CR is text, blank lines are skipped, the last record needs no
/// line break.
public final class CSVParser {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// The line the record starts on (1-based).
        public var line: Int
        /// The record's text as in the file, without its line break.
        public var raw: String
    }

    public enum Row: Sendable, Equatable {
        case record(Record)
        /// The record cannot be read; the parser went on after its end.
        case malformed(line: Int, raw: String, message: String)
    }

    private let input: BufferedInput
    private let delimiter: UInt8
    private var started = false

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    public init(_ input: BufferedInput, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.input = input
        self.delimiter = delimiter
    }

    public var bytesRead: Int { input.bytesRead }
    public var totalBytes: Int? { input.totalBytes }

    /// The next record, or `nil` at the end of the input.
    public func next() throws(ClientError) -> Row? {
        if !started {
            started = true
            try input.skipByteOrderMark()
        }
        while true {
            guard try input.peek() != nil else { return nil }
            let row = try readRecord()
            if case .record(let record) = row, record.raw.isEmpty { continue }  // a blank line
            return row
        }
    }

    private func readRecord() throws(ClientError) -> Row {
        let line = input.line
        var raw: [UInt8] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var problem: String?

        func finishField() {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else if problem == nil {
                problem = "field \(fields.count + 1) is not valid UTF-8"
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
        }

        fieldLoop: while true {
            // Start of a field.
            if try input.peek() == Self.quote {
                raw.append(try input.next() ?? Self.quote)
                // Quoted field: up to the closing quote.
                while true {
                    guard let byte = try input.next() else {
                        return .malformed(line: line, raw: text(raw), message: "a quoted field opened on line \(line) is not closed")
                    }
                    raw.append(byte)
                    if byte == Self.quote {
                        if try input.peek() == Self.quote {
                            raw.append(try input.next() ?? Self.quote)
                            field.append(Self.quote)
                            continue
                        }
                        break
                    }
                    field.append(byte)
                }
                // After the closing quote: a delimiter, the end of the record, or an error.
                let after: UInt8
                switch try fieldEnd(after: try input.next(), raw: &raw) {
                case .delimiter:
                    finishField()
                    continue fieldLoop
                case .endOfRecord:
                    finishField()
                    break fieldLoop
                case .byte(let byte):
                    after = byte
                }
                raw.append(after)
                let shown = after < 0x80 ? "'\(Character(Unicode.Scalar(after)))'" : "a non-ASCII character"
                problem = problem ?? "unexpected \(shown) after the closing quote of field \(fields.count + 1)"
                try skipRestOfLine(into: &raw)
                break fieldLoop
            }
            // Unquoted field: up to a delimiter or the end of the record.
            while true {
                switch try fieldEnd(after: try input.next(), raw: &raw) {
                case .delimiter:
                    finishField()
                    continue fieldLoop
                case .endOfRecord:
                    finishField()
                    break fieldLoop
                case .byte(let byte):
                    raw.append(byte)
                    field.append(byte)
                }
            }
        }
        if let problem { return .malformed(line: line, raw: text(raw), message: problem) }
        return .record(Record(fields: fields, line: line, raw: text(raw)))
    }

    private enum FieldEnd {
        case delimiter
        /// LF, CRLF (both consumed) or the end of the input.
        case endOfRecord
        /// Any other byte (a lone CR included).
        case byte(UInt8)
    }

    /// What `byte`, just read, means after (or inside) a field; a delimiter is kept in `raw`.
    private func fieldEnd(after byte: UInt8?, raw: inout [UInt8]) throws(ClientError) -> FieldEnd {
        guard let byte else { return .endOfRecord }
        if byte == delimiter {
            raw.append(byte)
            return .delimiter
        }
        if byte == Self.lineFeed { return .endOfRecord }
        if byte == Self.carriageReturn, try input.peek() == Self.lineFeed {
            _ = try input.next()
            return .endOfRecord
        }
        return .byte(byte)
    }

    private func skipRestOfLine(into raw: inout [UInt8]) throws(ClientError) {
        while let byte = try input.next(), byte != Self.lineFeed { raw.append(byte) }
        if raw.last == Self.carriageReturn { raw.removeLast() }
    }

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
