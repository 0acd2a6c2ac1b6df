import Foundation
import PMBSON
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

/// A temporary directory with `files`, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "pm-client-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension ImportRecord.Content {
    var unreadableMessage: String? {
        if case .unreadable(_, _, let message) = self { message } else { nil }
    }

    var unreadableCode: String? {
        if case .unreadable(_, let code, _) = self { code } else { nil }
    }
}
