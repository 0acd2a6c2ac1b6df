import HTTPTypes

/// A request's id (docs/API.md, "Request ids"): the client's own `X-Request-Id` when it sent
/// a sane one, else 32 random hex digits.
enum RequestId {
    static func of(_ headers: HTTPFields) -> String {
        fromClient(headers) ?? make()
    }

    /// The client's `X-Request-Id`: 1–128 printable ASCII characters without spaces.
    static func fromClient(_ headers: HTTPFields) -> String? {
        guard let value = headers[.requestId], !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return value
    }

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let hex = String(high, radix: 16) + String(low, radix: 16)
        return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}
