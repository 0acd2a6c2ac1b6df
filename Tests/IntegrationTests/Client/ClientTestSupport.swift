import Foundation
import PMBSON
import PMTestKit

extension GatewayClient {
    /// The live gateway's base URL, for the client commands.
    var url: String {
        get throws {
            guard let port = client.port else { throw ClientBinary.NotFound(description: "the test gateway has no port (not a live test?)") }
            return "http://127.0.0.1:\(port)"
        }
    }

    /// The documents of `collection` the token's user sees (at most 1000... the test configuration's max_batch_size).
    func list(_ collection: String, token: String, filter: String? = nil, limit: Int = 10) async throws -> (count: Int, data: [BSONDocument]) {
        var path = "/\(collection)?limit=\(limit)"
        if let filter { path += "&filter=" + (filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filter) }
        let reply = try await get(path, token: token)
        return (reply.json.int("count") ?? -1, reply.json.documents("data"))
    }
}

extension TemporaryDirectory {
    /// The NDJSON lines of `name` as documents.
    func ndjson(_ name: String) throws -> [BSONDocument] {
        try read(name).split(separator: "\n").map { try JSONReader.parseDocument(String($0)) }
    }
}

extension BSONDocument {
    /// A reject line's `(row, line, code, message)`.
    var rejectSummary: RejectSummary {
        RejectSummary(
            row: int("row") ?? -1, line: int("line") ?? -1,
            code: document("error")?.string("code") ?? "", message: document("error")?.string("message") ?? "")
    }
}

struct RejectSummary: Hashable, CustomStringConvertible {
    var row: Int
    var line: Int
    var code: String
    var message: String

    var description: String { "row \(row) line \(line) \(code): \(message)" }
}

/// 24-hex ids in `text`, in order.
func objectIds(in text: String) -> [String] {
    text.split(whereSeparator: { !$0.isHexDigit }).map(String.init).filter { $0.count == 24 }
}
