import PMBSON

/// One row of an import file: a document to send, or why it cannot be sent.
public struct ImportRecord: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case document(BSONDocument)
        /// Not sent: `raw` is the row's text, `code` e.g. `invalid_json`, `invalid_value`.
        case unreadable(raw: String, code: String, message: String)

        /// A JSON row (an NDJSON line, a JSON array element) read as an object; `notObject`
        /// is the message for valid JSON of another kind. The row's text is only kept for a
        /// rejected row.
        static func object(from bytes: [UInt8], notObject: String) -> Content {
            let message: String
            do {
                if case .document(let document) = try JSONReader.parseValue(bytes) { return .document(document) }
                message = notObject
            } catch {
                message = error.message
            }
            return .unreadable(raw: String(decoding: bytes, as: UTF8.self), code: "invalid_json", message: message)
        }
    }

    /// 1-based position among the file's rows (NDJSON lines that are not blank,
    /// JSON array elements, CSV data rows).
    public var row: Int
    /// The line of the file where the row starts (1-based).
    public var line: Int
    public var content: Content

    public init(row: Int, line: Int, content: Content) {
        self.row = row
        self.line = line
        self.content = content
    }

    public var document: BSONDocument? {
        if case .document(let document) = content { document } else { nil }
    }
}

/// Reads the rows of an import file one at a time. A thrown `ClientError` means the
/// rest of the file cannot be read (e.g. an unclosed JSON array, a bad CSV header).
public protocol ImportReader: AnyObject {
    func next() throws(ClientError) -> ImportRecord?
    /// Bytes of the input read so far, and in all (when known), for progress.
    var bytesRead: Int { get }
    var totalBytes: Int? { get }
}
