import PMBSON

/// A row that was not written, and why: one line of the rejects file.
public struct Reject: Sendable, Equatable {
    public var row: Int
    public var line: Int
    /// The document as sent (rows refused by the gateway or rolled back).
    public var document: BSONDocument?
    /// The row's text (rows that could not be read and were not sent).
    public var raw: String?
    public var code: String
    public var message: String

    public init(row: Int, line: Int, document: BSONDocument? = nil, raw: String? = nil, code: String, message: String) {
        self.row = row
        self.line = line
        self.document = document
        self.raw = raw
        self.code = code
        self.message = message
    }

    /// `{"row":3,"line":4,"error":{"code":...,"message":...},"document":{...}}` (or `"raw":"..."`).
    public var json: BSONDocument {
        var out = BSONDocument()
        out.append("row", .integer(row))
        out.append("line", .integer(line))
        out.append("error", .document(BSONDocument(["code": .string(code), "message": .string(message)])))
        if let document { out.append("document", .document(document)) }
        if let raw { out.append("raw", .string(raw)) }
        return out
    }
}
