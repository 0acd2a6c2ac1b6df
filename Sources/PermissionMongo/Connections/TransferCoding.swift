import HTTPTypes

/// `Transfer-Encoding` is read only as `chunked` alone (docs/API.md, "Refused before
/// routing"). The parser frames `gzip, chunked` by its chunks and would hand the gateway the
/// still-compressed bytes as if they were plain.
enum TransferCoding {
    /// The refusal for a request whose transfer codings are not just `chunked`; nil otherwise.
    static func refusal(_ headers: HTTPFields) -> GatewayError? {
        let values = headers[values: .transferEncoding]
        guard !values.isEmpty else { return nil }
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let codings = values.flatMap { $0.split(separator: ",") }.map {
            $0.split(whereSeparator: blank).joined(separator: " ").lowercased()
        }
        guard codings != ["chunked"] else { return nil }
        return .badRequest("Transfer-Encoding must be chunked, without other codings")
    }
}
