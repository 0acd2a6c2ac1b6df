import Foundation
import PMBSON
import PMTestKit
@testable import PMClient

/// An in-memory input holding `text`.
func input(_ text: String, name: String = "test") -> BufferedInput {
    BufferedInput(bytes: Array(text.utf8), name: name)
}

/// Every row of `reader`, or the error that stopped it after `rows`.
func readAll(_ reader: any ImportReader) -> (rows: [ImportRecord], error: ClientError?) {
    var rows: [ImportRecord] = []
    do {
        while let row = try reader.next() { rows.append(row) }
        return (rows, nil)
    } catch {
        return (rows, error)
    }
}

/// Every row the CSV parser gives for `text`.
func csvRows(_ text: String) throws -> [CSVParser.Row] {
    let parser = CSVParser(input(text))
    var rows: [CSVParser.Row] = []
    while let row = try parser.next() { rows.append(row) }
    return rows
}

func json(_ text: String) throws -> BSONDocument {
    try JSONReader.parseDocument(text)
}


extension ImportRecord.Content {
    var unreadableMessage: String? {
        if case .unreadable(_, _, let message) = self { message } else { nil }
    }

    var unreadableCode: String? {
        if case .unreadable(_, let code, _) = self { code } else { nil }
    }
}
