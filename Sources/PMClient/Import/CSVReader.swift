import PMBSON

/// A CSV file with a header row (`.csv`): each data row becomes a document, its values
/// typed by `SchemaTyping`. A row that cannot be parsed, has the wrong number of fields
/// or a value of the wrong type is rejected locally and not sent.
public final class CSVReader: ImportReader {
    private let parser: CSVParser
    private let typing: SchemaTyping
    private let path: String
    private var columns: [SchemaTyping.Column]?
    private var row = 0

    public init(_ input: BufferedInput, typing: SchemaTyping = SchemaTyping(), delimiter: UInt8 = UInt8(ascii: ",")) {
        self.parser = CSVParser(input, delimiter: delimiter)
        self.typing = typing
        self.path = input.path
    }

    public var bytesRead: Int { parser.bytesRead }
    public var totalBytes: Int? { parser.totalBytes }

    public func next() throws(ClientError) -> ImportRecord? {
        let columns = try headerColumns()
        guard let parsed = try parser.next() else { return nil }
        row += 1
        switch parsed {
        case .malformed(let line, let raw, let message):
            return ImportRecord(row: row, line: line, content: .unreadable(raw: raw, code: "invalid_csv", message: message))
        case .record(let record):
            guard record.fields.count == columns.count else {
                let message = "the row has \(record.fields.count) field(s), the header \(columns.count)"
                return ImportRecord(row: row, line: record.line, content: .unreadable(raw: record.raw, code: "invalid_csv", message: message))
            }
            do {
                let document = try typing.document(columns: columns, values: record.fields)
                return ImportRecord(row: row, line: record.line, content: .document(document))
            } catch {
                return ImportRecord(row: row, line: record.line, content: .unreadable(raw: record.raw, code: "invalid_value", message: error.message))
            }
        }
    }

    private func headerColumns() throws(ClientError) -> [SchemaTyping.Column] {
        if let columns { return columns }
        switch try parser.next() {
        case nil:
            throw .input("\(path): the file is empty (a CSV file starts with a header row)")
        case .malformed(let line, _, let message)?:
            throw .input("\(path): the header row (line \(line)) cannot be read: \(message)")
        case .record(let record)?:
            let columns = try typing.columns(for: record.fields)
            self.columns = columns
            return columns
        }
    }
}
